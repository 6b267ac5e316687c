import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { initConfig } from '../../../src/config/init/init-config.ts';
import { configSchema, type SluiceConfig } from '../../../src/config/schema.ts';

const fixturesDir = fileURLToPath(new URL('../../fixtures/init/', import.meta.url));

/** The folder of a fixture repository, for read-only use. */
export function fixturePath(name: string): string {
  return join(fixturesDir, name);
}

/** Temp folders made by the tests; `removeTempRepos` deletes them after each test. */
const tempRepos: string[] = [];

/** A fresh temp copy of fixture `name` (or an empty folder), so init can write into it. */
export async function tempRepo(name?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-init-'));
  tempRepos.push(dir);
  if (name) await cp(fixturePath(name), dir, { recursive: true });
  return dir;
}

/** Deletes every temp folder made since the last call. */
export async function removeTempRepos(): Promise<void> {
  const dirs = tempRepos.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Reads a written sluice.yaml and validates it with the real schema (throws when invalid). */
export async function readConfig(path: string): Promise<{ text: string; config: SluiceConfig }> {
  const text = await readFile(path, 'utf8');
  return { text, config: configSchema.parse(parse(text)) };
}

/**
 * A PATH holding `pnpm`, `yarn` and `bun` (scripts that exit 0), so init plans with the lockfile's manager as on
 * a machine that has them; the directory is removed with the temp repositories.
 */
export async function pathWithManagers(programs: readonly string[] = ['pnpm', 'yarn', 'bun']): Promise<string> {
  const dir = await tempRepo();
  await mkdir(join(dir, 'bin'));
  for (const program of programs) {
    await writeFile(join(dir, 'bin', program), '#!/bin/sh\nexit 0\n');
    await chmod(join(dir, 'bin', program), 0o755);
  }
  return join(dir, 'bin');
}

/** Runs init in `dir` and returns the path of the new sluice.yaml (throws when one existed). */
export async function writtenConfigPath(dir: string, searchPath?: string): Promise<string> {
  const result = await initConfig({ dir, ...(searchPath === undefined ? {} : { searchPath }) });
  if (result.status === 'exists') throw new Error(`expected a new sluice.yaml in ${dir}`);
  return result.path;
}
