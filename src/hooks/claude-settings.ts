import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from '../errors.ts';
import { ensureSluiceDir } from '../gates/sluice-dir.ts';

/** How Sluice recognises its own entry among the user's hooks, whatever paths it was installed with. */
const sluiceStopCommand = /sluice(\.js)?'? hook stop$/;

type Settings = Record<string, unknown>;
interface HookCommand {
  type?: unknown;
  command?: unknown;
}
interface MatcherGroup {
  matcher?: unknown;
  hooks?: unknown;
}

export type InstallOutcome = 'installed' | 'updated' | 'unchanged';
export type UninstallOutcome = 'restored' | 'removed-file' | 'removed-entry' | 'not-installed';

/** Where a project's Claude Code settings live, and where Sluice keeps what the file was before it. */
export function claudeSettingsPaths(projectDir: string) {
  return {
    settings: join(projectDir, '.claude', 'settings.json'),
    before: join(projectDir, '.sluice', 'claude-settings.before.json'),
  };
}

/**
 * Add Sluice's Stop hook to `.claude/settings.json`, keeping every other setting and hook. A second
 * install changes nothing (or only the command, when Sluice moved). The file's prior bytes are kept
 * so uninstall can put them back exactly.
 */
export async function installClaudeStopHook(projectDir: string, command: string): Promise<InstallOutcome> {
  const paths = claudeSettingsPaths(projectDir);
  const original = existsSync(paths.settings) ? await readFile(paths.settings, 'utf8') : undefined;
  const settings = original === undefined ? {} : parseSettings(original, paths.settings);
  const stop = stopGroups(settings, paths.settings);
  const ours = stop.flatMap((group) => hookCommands(group)).filter(isSluiceHook);
  if (ours.length > 0) {
    if (ours.every((hook) => hook.command === command)) return 'unchanged';
    for (const hook of ours) hook.command = command;
    await writeSettings(paths.settings, settings);
    return 'updated';
  }
  if (!existsSync(paths.before)) {
    await ensureSluiceDir(projectDir);
    const dirExisted = existsSync(join(projectDir, '.claude'));
    await writeFile(
      paths.before,
      JSON.stringify({ existed: original !== undefined, text: original ?? null, dirExisted }),
    );
  }
  stop.push({ hooks: [{ type: 'command', command }] });
  await writeSettings(paths.settings, settings);
  return 'installed';
}

/**
 * Remove only Sluice's Stop hook. When the rest equals the file before install, its exact bytes come
 * back (or the file goes, if Sluice created it); otherwise the user changed it since, and only the
 * entry goes.
 */
export async function uninstallClaudeStopHook(projectDir: string): Promise<UninstallOutcome> {
  const paths = claudeSettingsPaths(projectDir);
  if (!existsSync(paths.settings)) return 'not-installed';
  const settings = parseSettings(await readFile(paths.settings, 'utf8'), paths.settings);
  const removed = removeSluiceHooks(settings);
  const before = existsSync(paths.before)
    ? (JSON.parse(await readFile(paths.before, 'utf8')) as {
        existed: boolean;
        text: string | null;
        dirExisted?: boolean;
      })
    : undefined;
  await rm(paths.before, { force: true });
  if (!removed) return 'not-installed';
  if (before?.existed === false && Object.keys(settings).length === 0) {
    await rm(paths.settings);
    // The folder too, when Sluice made it and nothing else has been put there since.
    if (before.dirExisted === false) await rmdir(join(projectDir, '.claude')).catch(() => {});
    return 'removed-file';
  }
  if (before?.text != null && isDeepStrictEqual(safeParse(before.text), settings)) {
    await writeFile(paths.settings, before.text);
    return 'restored';
  }
  await writeSettings(paths.settings, settings);
  return 'removed-entry';
}

function removeSluiceHooks(settings: Settings): boolean {
  const hooks = settings.hooks;
  if (!isObject(hooks) || !Array.isArray(hooks.Stop)) return false;
  let removed = false;
  const groups = (hooks.Stop as MatcherGroup[]).flatMap((group) => {
    if (!isObject(group) || !Array.isArray(group.hooks)) return [group];
    const kept = (group.hooks as HookCommand[]).filter((hook) => !isSluiceHook(hook));
    if (kept.length === group.hooks.length) return [group];
    removed = true;
    return kept.length > 0 ? [{ ...group, hooks: kept }] : [];
  });
  if (groups.length > 0) hooks.Stop = groups;
  else delete hooks.Stop;
  if (Object.keys(hooks).length === 0) delete settings.hooks;
  return removed;
}

function stopGroups(settings: Settings, path: string): MatcherGroup[] {
  settings.hooks ??= {};
  if (!isObject(settings.hooks)) throw new ConfigError(`${path}: "hooks" is not an object; not touching it`);
  const hooks = settings.hooks;
  hooks.Stop ??= [];
  if (!Array.isArray(hooks.Stop)) throw new ConfigError(`${path}: "hooks.Stop" is not a list; not touching it`);
  return hooks.Stop as MatcherGroup[];
}

function hookCommands(group: MatcherGroup): HookCommand[] {
  return isObject(group) && Array.isArray(group.hooks) ? (group.hooks as HookCommand[]) : [];
}

function isSluiceHook(hook: HookCommand): boolean {
  return (
    isObject(hook) &&
    hook.type === 'command' &&
    typeof hook.command === 'string' &&
    sluiceStopCommand.test(hook.command)
  );
}

function parseSettings(text: string, path: string): Settings {
  const value = safeParse(text);
  if (!isObject(value)) throw new ConfigError(`${path} is not a JSON object; fix it before installing hooks`);
  return value;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function writeSettings(path: string, settings: Settings): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, `${JSON.stringify(settings, null, 2)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
