import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, probeBubblewrap } from '../../process/sandbox/bubblewrap.ts';
import { gitWritableParts, sharedGitDir } from '../../process/sandbox/git-writable-paths.ts';
import type { SandboxPolicy, SandboxReport } from '../../process/sandbox/sandbox-policy.ts';

/**
 * Claude Code's sandbox on Linux runs each Bash command in bubblewrap and routes its network through socat;
 * both must be on PATH. Its Write and Edit tools run in Claude Code's own process, outside that sandbox:
 * they are confined by its permission mode instead (`acceptEdits` allows edits in the working folder and
 * `--add-dir` folders; anything else would need a prompt, which headless mode refuses).
 */
export function claudeSandboxReport(policy: SandboxPolicy): SandboxReport {
  if (policy.mode === 'off') return { kind: 'none', description: 'not sandboxed: agent.sandbox is off' };
  const bwrap = probeBubblewrap();
  if (!bwrap.available) {
    return { kind: 'none', description: `not sandboxed: Claude Code's sandbox needs bubblewrap (${bwrap.reason})` };
  }
  if (!findOnPath('socat')) {
    return { kind: 'none', description: "not sandboxed: Claude Code's sandbox needs socat, which is not installed" };
  }
  return {
    kind: 'claude-code-sandbox',
    description: claudeSentence(policy.writablePaths, claudeGitPart),
  };
}

/** What of the git dir Bash may write in Claude Code's sandbox (see `commonDirDenials`). */
const claudeGitPart = 'the git object store (not refs: Sluice commits each turn)';

function claudeSentence(extra: string[], git: string): string {
  const added = extra.length > 0 ? `, and ${extra.join(', ')}` : '';
  return (
    `Claude Code sandbox: Bash commands in bubblewrap, writable only the worktree, ${git}, its session temp folder${added}; ` +
    'Write/Edit refused outside the worktree by permission mode acceptEdits'
  );
}

/** The settings and flags of one sandboxed Claude Code turn in `worktree`. */
export interface ClaudeTurnSandbox {
  /** The `sandbox` block of `--settings`. */
  settings: Record<string, unknown>;
  /** Folders Write/Edit may also change (`--add-dir`). */
  addDirs: string[];
  report: SandboxReport;
}

export function claudeTurnSandbox(worktree: string, policy: SandboxPolicy): ClaudeTurnSandbox {
  const git = gitWritableParts(worktree);
  const extra = policy.writablePaths.filter((path) => existsSync(path));
  return {
    settings: {
      enabled: true,
      // Claude Code otherwise warns and runs the command unsandboxed when the sandbox cannot start.
      failIfUnavailable: true,
      // The model may ask to run a command outside the sandbox (dangerouslyDisableSandbox): never.
      allowUnsandboxedCommands: false,
      autoAllowBashIfSandboxed: true,
      filesystem: {
        allowWrite: [...git.writable, ...extra],
        denyWrite: [...git.readOnly, ...commonDirDenials(worktree)],
      },
    },
    addDirs: extra,
    report: {
      kind: 'claude-code-sandbox',
      description: claudeSentence(policy.writablePaths, claudeGitPart),
    },
  };
}

/**
 * Claude Code itself makes a linked worktree's shared git dir writable for Bash (all but hooks and config),
 * which would let the agent move `main` or write `info/`: deny those parts. A denial wins over an allowed
 * folder inside it, so the run branch's ref is not writable either: the agent's own `git commit` fails and
 * Sluice commits the turn, as it does anyway.
 */
function commonDirDenials(worktree: string): string[] {
  const common = sharedGitDir(worktree);
  if (!common) return [];
  return ['refs', 'logs', 'info', 'packed-refs', 'description', 'hooks', 'config']
    .map((part) => join(common, part))
    .filter((path) => existsSync(path));
}

/** Tools whose unscoped allow rule would let Write/Edit change any file, which `acceptEdits` limits to the worktree. */
export const fileEditTools = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/**
 * What runs without a prompt in a sandboxed turn besides edits inside the worktree: reading, searching,
 * Bash (which the sandbox confines), subagents (which inherit these rules), the web, planning tools.
 */
export const sandboxedAllowedTools = [
  'Bash',
  'Read',
  'Glob',
  'Grep',
  'LS',
  'Agent',
  'Task',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'Skill',
  'ToolSearch',
  'ListAgents',
  'Workflow',
  'ScheduleWakeup',
  'ReportFindings',
  'BashOutput',
  'KillShell',
  'NotebookRead',
];
