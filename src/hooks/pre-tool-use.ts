import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { findConfigFile } from '../config/load-config.ts';
import { ensureSluiceDir } from '../gates/sluice-dir.ts';
import { guardConfigAt } from '../guard/guard-config-at.ts';
import { protectionOf } from '../guard/protection.ts';
import { repoRootOf } from '../workspace/repo-root.ts';
import { bashWriteTargets } from './bash-write-targets.ts';
import { hookGroundMissing } from './hook-ground.ts';
import { readHookSession, writeHookSession } from './hook-sessions.ts';
import { sessionBase } from './session-base.ts';
import type { ToolHookInput } from './tool-hook-input.ts';

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
export async function runPreToolUse(input: ToolHookInput): Promise<PreToolUseOutcome> {
  if (!existsSync(input.cwd)) return { decision: 'allow' };
  const missing = await hookGroundMissing(input.cwd);
  if (missing) return { decision: 'allow', note: missing };
  const targets = writeTargets(input);
  const repoRoot = await repoRootOf(input.cwd);
  const configPath = findConfigFile(input.cwd);
  // Remember where the session started, before it changes anything: the Stop hook's guard measures from there.
  const sluiceDir = await ensureSluiceDir(configPath ? dirname(configPath) : repoRoot);
  const session = await readHookSession(sluiceDir, input.sessionId);
  const base = await sessionBase(repoRoot, session, undefined);
  if (!session.base_commit) await writeHookSession(sluiceDir, { ...session, base_commit: base });
  if (targets.length === 0) return { decision: 'allow' };

  const protection = protectionOf(await guardConfigAt(repoRoot, base, configPath));
  for (const target of targets) {
    const absolute = isAbsolute(target) ? target : resolve(input.cwd, target);
    const path = relative(repoRoot, absolute);
    if (path.startsWith('..')) continue;
    const why = protection.refusesWrite(path, existsSync(absolute));
    if (why) return { decision: 'deny', reason: denialReason(path, why, input.toolName) };
  }
  return { decision: 'allow' };
}

function writeTargets(input: ToolHookInput): string[] {
  const field = fileTools[input.toolName];
  if (field) {
    const path = input.toolInput[field];
    return typeof path === 'string' ? [path] : [];
  }
  const command = Array.isArray(input.toolInput.command)
    ? input.toolInput.command.map(String).join(' ')
    : input.toolInput.command;
  if (typeof command !== 'string') return [];
  // Codex edits files with apply_patch: its own tool, or a shell command carrying the patch.
  if (command.includes('*** Begin Patch')) return patchTargets(command);
  return shellTools.has(input.toolName) ? bashWriteTargets(command) : [];
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

function denialReason(path: string, why: string, tool: string): string {
  const tests = why.includes('test file');
  const instead = tests
    ? 'The tests are the spec: change the code under test so they pass. To add tests, create a new test file. If a test is wrong, leave it and say so in your final message: a human decides.'
    : 'Leave it as it is and work within it; if it must change, say so in your final message: a human decides.';
  return `Sluice: ${tool} on ${path} is not allowed because ${why}. ${instead} Changes made another way are caught by the diff guard when you stop.`;
}
