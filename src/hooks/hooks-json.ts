import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from '../errors.ts';
import { ensureSluiceDir } from '../gates/sluice-dir.ts';
import { type AgentHookEntry, isSluiceAgentHookCommand } from './sluice-hook-commands.ts';

/**
 * A JSON file of agent hooks in the shape Claude Code (`.claude/settings.json`) and Codex (`.codex/hooks.json`)
 * share: `{ "hooks": { "<Event>": [{ "matcher"?: "...", "hooks": [{ "type": "command", "command": "..." }] }] } }`,
 * beside any other keys, which Sluice never touches.
 */
export interface HooksJsonFile {
  /** The project folder; `.sluice/` goes there. */
  projectDir: string;
  /** The file the agent reads. */
  path: string;
  /** Where Sluice keeps what the file was before install: `{ existed, text, dirExisted }`. */
  beforePath: string;
}

export type InstallOutcome = 'installed' | 'updated' | 'unchanged';
export type UninstallOutcome = 'restored' | 'removed-file' | 'removed-entry' | 'not-installed';

type JsonObject = Record<string, unknown>;
interface BeforeInstall {
  existed: boolean;
  text: string | null;
  dirExisted?: boolean;
}

/**
 * Merge Sluice's hook entries into the file, keeping every other key and hook. A second install changes
 * nothing (or only commands and matchers, when Sluice moved). Before the first change, the file's exact
 * bytes are kept so uninstall can put them back.
 */
export async function installHookEntries(file: HooksJsonFile, entries: AgentHookEntry[]): Promise<InstallOutcome> {
  const original = existsSync(file.path) ? await readFile(file.path, 'utf8') : undefined;
  const document = original === undefined ? {} : parseObject(original, file.path);
  const byEvent = entries.map((entry) => ({ entry, groups: eventGroups(document, entry.event, file.path) }));
  if (byEvent.every(({ groups }) => sluiceHooksIn(groups).length === 0)) {
    // None of Sluice's hooks is there: the file as it is now is what uninstall must give back.
    await ensureSluiceDir(file.projectDir);
    const before: BeforeInstall = {
      existed: original !== undefined,
      text: original ?? null,
      dirExisted: existsSync(dirname(file.path)),
    };
    await writeFile(file.beforePath, JSON.stringify(before));
  }
  let added = false;
  let changed = false;
  for (const { entry, groups } of byEvent) {
    const ours = groups.filter((group) => sluiceHooksIn([group]).length > 0);
    if (ours.length === 0) {
      groups.push({
        ...(entry.matcher === undefined ? {} : { matcher: entry.matcher }),
        hooks: [{ type: 'command', command: entry.command }],
      });
      added = true;
      continue;
    }
    for (const group of ours) changed = updateGroup(group, entry) || changed;
  }
  if (!added && !changed) return 'unchanged';
  await writeJson(file.path, document);
  return added ? 'installed' : 'updated';
}

/**
 * Remove only Sluice's hooks. When the rest equals the file before install, its exact bytes come back (or
 * the file goes, with its folder, if Sluice created them); otherwise the user changed it since, and only
 * Sluice's entries go.
 */
export async function uninstallHookEntries(file: HooksJsonFile): Promise<UninstallOutcome> {
  const before = existsSync(file.beforePath)
    ? (JSON.parse(await readFile(file.beforePath, 'utf8')) as BeforeInstall)
    : undefined;
  await rm(file.beforePath, { force: true });
  if (!existsSync(file.path)) return 'not-installed';
  const document = parseObject(await readFile(file.path, 'utf8'), file.path);
  if (!removeSluiceHooks(document)) return 'not-installed';
  if (before?.existed === false && Object.keys(document).length === 0) {
    await rm(file.path);
    // The folder too, when Sluice made it and nothing else has been put there since.
    if (before.dirExisted === false) await rmdir(dirname(file.path)).catch(() => {});
    return 'removed-file';
  }
  if (before?.text != null && isDeepStrictEqual(safeParse(before.text), document)) {
    await writeFile(file.path, before.text);
    return 'restored';
  }
  await writeJson(file.path, document);
  return 'removed-entry';
}

/** Point Sluice's hooks in this group at the entry's command and matcher; true when anything changed. */
function updateGroup(group: JsonObject, entry: AgentHookEntry): boolean {
  let changed = false;
  for (const hook of sluiceHooksIn([group])) {
    if (hook.command !== entry.command) {
      hook.command = entry.command;
      changed = true;
    }
  }
  // The matcher is Sluice's to change only in a group that holds nothing but Sluice's hooks.
  const onlyOurs = hooksOf(group).every(isSluiceHook);
  if (onlyOurs && group.matcher !== entry.matcher) {
    if (entry.matcher === undefined) delete group.matcher;
    else group.matcher = entry.matcher;
    changed = true;
  }
  return changed;
}

function removeSluiceHooks(document: JsonObject): boolean {
  const hooks = document.hooks;
  if (!isObject(hooks)) return false;
  let removed = false;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = groups.flatMap((group: unknown) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return [group];
      const rest = group.hooks.filter((hook: unknown) => !isSluiceHook(hook));
      if (rest.length === group.hooks.length) return [group];
      removed = true;
      return rest.length > 0 ? [{ ...group, hooks: rest }] : [];
    });
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  if (Object.keys(hooks).length === 0) delete document.hooks;
  return removed;
}

/** The list of matcher groups of `hooks.<event>`, created when missing; anything else there is refused. */
function eventGroups(document: JsonObject, event: string, path: string): JsonObject[] {
  document.hooks ??= {};
  const hooks = document.hooks;
  if (!isObject(hooks)) throw new ConfigError(`${path}: "hooks" is not an object; not touching it`);
  hooks[event] ??= [];
  const groups = hooks[event];
  if (!Array.isArray(groups)) throw new ConfigError(`${path}: "hooks.${event}" is not a list; not touching it`);
  return groups as JsonObject[];
}

function sluiceHooksIn(groups: JsonObject[]): JsonObject[] {
  return groups.flatMap(hooksOf).filter(isSluiceHook);
}

function hooksOf(group: unknown): JsonObject[] {
  return isObject(group) && Array.isArray(group.hooks) ? (group.hooks as JsonObject[]) : [];
}

function isSluiceHook(hook: unknown): hook is JsonObject {
  return (
    isObject(hook) &&
    hook.type === 'command' &&
    typeof hook.command === 'string' &&
    isSluiceAgentHookCommand(hook.command)
  );
}

function parseObject(text: string, path: string): JsonObject {
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

async function writeJson(path: string, document: JsonObject): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
