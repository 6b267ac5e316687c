import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { findConfigFile } from '../config/config-file.ts';
import { guardConfigAt } from '../guard/guard-config-at.ts';
import { protectionOf } from '../guard/protection.ts';
import { type ShellWrites, shellWrites } from './bash-write-targets.ts';
import { hookGround } from './hook-ground.ts';
import { hookSessionsDir, readHookSession, writeHookSession } from './hook-sessions.ts';
import { ignoredEntries, listIgnored } from './ignored-runner-files.ts';
import { sessionBase } from './session-base.ts';
import type { ToolHookInput } from './tool-hook-input.ts';
import { copyDestinations, treeChangePaths, type WrittenPath, writtenPaths } from './written-paths.ts';

/** `note`: why nothing was checked (no repository, no commit yet), for the one line the CLI prints. */
export type PreToolUseOutcome = { decision: 'allow'; note?: string } | { decision: 'deny'; reason: string };

/** Tools that write the file named in their input, and where they name it. */
const fileTools: Record<string, string> = {
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};
const shellTools = new Set(['Bash', 'shell', 'exec_command', 'local_shell']);

/**
 * Deny a tool call that would write a protected file (sluice.yaml, CI config, `guard.protect`, existing
 * test files), with a reason that says what to do instead. Shell commands are checked best effort; the
 * diff guard at the Stop hook and after every run iteration catches the rest.
 */
export async function runPreToolUse(
  input: ToolHookInput,
  options: {
    /** As the Stop hook's: the config and repository come from here, not the cwd. */ projectDir?: string;
  } = {},
): Promise<PreToolUseOutcome> {
  const from = options.projectDir ?? input.cwd;
  if (!existsSync(input.cwd) || !existsSync(from)) return { decision: 'allow' };
  const ground = await hookGround(from);
  if ('missing' in ground) return { decision: 'allow', note: ground.missing };
  const writes = writeTargets(input);
  const { repoRoot } = ground;
  const configPath = findConfigFile(from);
  // Remember where the session started, before it changes anything: the Stop hook's guard measures from there.
  // The folder the Stop hook judges, whose sessions it reads.
  const sessionsDir = hookSessionsDir(configPath ? dirname(configPath) : repoRoot);
  const session = await readHookSession(sessionsDir, input.sessionId);
  const base = await sessionBase(repoRoot, session, undefined, ground.head);
  // And what git ignores there of what a runner loads: the Stop hook reports what is new since.
  if (!session.base_commit || !session.ignored_at_start) {
    const listed = session.ignored_at_start ? undefined : await listIgnored(repoRoot);
    const ignored = session.ignored_at_start ?? (listed && (await ignoredEntries(repoRoot, listed)));
    await writeHookSession(sessionsDir, {
      ...session,
      base_commit: base,
      ...(ignored ? { ignored_at_start: ignored } : {}),
    });
  }
  if (writes.files.length === 0 && writes.trees.length === 0 && writes.copies.length === 0) {
    return { decision: 'allow' };
  }

  const protection = protectionOf(await guardConfigAt(repoRoot, base, configPath));
  const named = [...writes.files, ...copyDestinations(input.cwd, writes.copies)];
  const paths = await writtenPaths(repoRoot, input.cwd, named);
  for (const change of writes.trees) {
    const how = `git ${change.to === undefined ? `back to ${change.from}` : `${change.from}..${change.to}`}`;
    for (const path of await treeChangePaths(repoRoot, change)) paths.push({ path, named: how, exists: true });
  }
  for (const written of paths) {
    const why = agentHooksFile(written.path) ?? protection.refusesWrite(written.path, written.exists);
    if (why) return { decision: 'deny', reason: denialReason(written, why, input.toolName) };
  }
  return { decision: 'allow' };
}

/** The agent CLIs' settings, which name their hooks (Sluice's among them) and can turn all hooks off. */
const agentSettings = [
  '.claude/settings.json',
  '.claude/settings.local.json',
  '.codex/hooks.json',
  '.codex/config.toml',
];

/**
 * Why the agent may not write `path` when it is one of its CLI's settings files, new or not: such a file
 * (`.claude/settings.local.json` is ignored by git, so no diff shows it) could hold `disableAllHooks` or another
 * `env` for the hooks, taking the Stop hook out of the agent's way for this session or the next.
 */
function agentHooksFile(path: string): string | undefined {
  const named = agentSettings.find((file) => path === file || path.endsWith(`/${file}`));
  return named ? `${named} configures the agent's hooks, which judge its work` : undefined;
}

const nothing: ShellWrites = { files: [], trees: [], copies: [] };

function writeTargets(input: ToolHookInput): ShellWrites {
  const field = fileTools[input.toolName];
  if (field) {
    const path = input.toolInput[field];
    return typeof path === 'string' ? { ...nothing, files: [path] } : nothing;
  }
  const command = Array.isArray(input.toolInput.command)
    ? input.toolInput.command.map(String).join(' ')
    : input.toolInput.command;
  if (typeof command !== 'string') return nothing;
  // Codex edits files with apply_patch: its own tool, or a shell command carrying the patch.
  if (command.includes('*** Begin Patch')) return { ...nothing, files: patchTargets(command) };
  return shellTools.has(input.toolName) ? shellWrites(command) : nothing;
}

/** The files an apply_patch patch updates, deletes or moves (`*** Update File: path`); new files are fine. */
function patchTargets(patch: string): string[] {
  const targets: string[] = [];
  for (const match of patch.matchAll(/^\*\*\* (?:Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm)) {
    const path = (match[1] ?? match[2] ?? '').trim();
    if (path) targets.push(path);
  }
  return targets;
}

function denialReason({ path, named }: WrittenPath, why: string, tool: string): string {
  const tests = why.includes('test file');
  const through = named === path ? '' : ` (through ${named})`;
  const instead = tests
    ? 'The tests are the spec: change the code under test so they pass. To add tests, create a new test file. If a test is wrong, leave it and say so in your final message: a human decides.'
    : 'Leave it as it is and work within it; if it must change, say so in your final message: a human decides.';
  return `Sluice: ${tool} on ${path}${through} is not allowed because ${why}. ${instead} This check is best effort: the diff guard on your changes is the authority and catches changes made any other way when you stop.`;
}
