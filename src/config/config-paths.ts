// Paths in sluice.yaml name files Sluice reads (reports, invariant JSON, browser scripts, cache inputs)
// and deletes (a stale report or invariant file before each gate). None may lead outside the repository:
// lexically that is a config error, located like any other; through a symbolic link it is refused when
// the path is used, since links can change after the config was read.
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';

interface PathShape {
  cwd: string;
  inputs?: string[] | undefined;
  report?: { path?: string | undefined } | undefined;
  invariant?: { from?: string | undefined } | undefined;
  browser?: { script: string } | undefined;
}

interface ConfigShape {
  gates: Record<string, PathShape>;
  services: Record<string, { cwd: string }>;
  setup: ReadonlyArray<{ inputs?: string[] | undefined }>;
}

/**
 * Why `path` (relative to `from`, itself relative to the folder of sluice.yaml) leaves that folder, or
 * undefined when it stays inside. Absolute paths and `..` that climb out are refused alike.
 */
export function pathEscape(path: string, from = '.'): string | undefined {
  if (isAbsolute(path) || posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) {
    return `"${path}" is an absolute path; paths in sluice.yaml are relative to its folder and stay inside the repository`;
  }
  const joined = posix.normalize(posix.join(from.replaceAll('\\', '/'), path.replaceAll('\\', '/')));
  if (joined === '..' || joined.startsWith('../')) {
    return `"${path}" leads outside the folder of sluice.yaml; Sluice never reads or deletes files outside the repository`;
  }
  return undefined;
}

/** The schema's check of every path in the config (run from its superRefine, so errors carry file:line:column). */
export function checkConfigPaths(config: ConfigShape, context: z.RefinementCtx): void {
  const check = (where: Array<string | number>, path: string | undefined, from = '.') => {
    const problem = path === undefined ? undefined : pathEscape(path, from);
    if (problem) context.addIssue({ code: 'custom', path: where, message: problem });
  };
  for (const [name, gate] of Object.entries(config.gates)) {
    check(['gates', name, 'cwd'], gate.cwd);
    check(['gates', name, 'report', 'path'], gate.report?.path, gate.cwd);
    check(['gates', name, 'invariant', 'from'], gate.invariant?.from, gate.cwd);
    check(['gates', name, 'browser', 'script'], gate.browser?.script, gate.cwd);
    for (const [index, glob] of (gate.inputs ?? []).entries()) {
      check(['gates', name, 'inputs', index], glob.replace(/^!/, ''));
    }
  }
  for (const [name, service] of Object.entries(config.services)) check(['services', name, 'cwd'], service.cwd);
  for (const [index, step] of config.setup.entries()) {
    for (const [at, glob] of (step.inputs ?? []).entries())
      check(['setup', index, 'inputs', at], glob.replace(/^!/, ''));
  }
}

/** Thrown when a config path that reads fine leads outside the repository through a symbolic link. */
export class ConfigPathError extends Error {
  readonly code = 'CONFIG_PATH_OUTSIDE_REPOSITORY';
}

/** The top of the repository holding `dir` (the nearest folder with `.git`), or `dir` itself outside git. */
export function repositoryTopOf(dir: string): string {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return resolve(dir);
  }
}

/**
 * `path` (relative to `cwd`) as an absolute path, after checking that it stays inside the repository
 * holding `root` once every symbolic link on it is followed; a ConfigPathError saying where it leads
 * otherwise. The part that does not exist yet (a report the gate will write) cannot be a link.
 */
export async function pathInsideRepository(root: string, cwd: string, path: string): Promise<string> {
  const absolute = resolve(cwd, path);
  const top = await realpath(repositoryTopOf(root));
  let existing = absolute;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = join(await realpath(existing), relative(existing, absolute));
  const inside = relative(top, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ConfigPathError(
      `${relative(root, absolute) || '.'} leads to ${real} through a symbolic link, outside the repository ${top}; Sluice does not read or delete files there`,
    );
  }
  return absolute;
}

/** Every file a gate reads or deletes by its config, checked with `pathInsideRepository`; the first problem. */
export async function gatePathOutsideRepository(root: string, gate: PathShape): Promise<string | undefined> {
  const cwd = resolve(root, gate.cwd);
  const paths = [gate.cwd, gate.report?.path, gate.invariant?.from, gate.browser?.script];
  try {
    await pathInsideRepository(root, root, gate.cwd);
    for (const path of paths.slice(1)) if (path !== undefined) await pathInsideRepository(root, cwd, path);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigPathError) return error.message;
    throw error;
  }
}
