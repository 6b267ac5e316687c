import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bubblewrapArgs, probeBubblewrap } from './bubblewrap.ts';
import { gitWritableParts } from './git-writable-paths.ts';
import type { SandboxPolicy, SandboxReport } from './sandbox-policy.ts';

/** What bubblewrap would do for a policy here, before anything runs: for `required` and the evidence. */
export function bubblewrapReport(policy: SandboxPolicy): SandboxReport {
  if (policy.mode === 'off') return { kind: 'none', description: 'not sandboxed: agent.sandbox is off' };
  const probe = probeBubblewrap();
  if (!probe.available) return { kind: 'none', description: `not sandboxed: ${probe.reason}` };
  return {
    kind: 'bubblewrap',
    description: bubblewrapSentence(policy.writablePaths, 'its git objects and branch ref'),
  };
}

function bubblewrapSentence(extra: string[], git: string): string {
  const added = extra.length > 0 ? `, and ${extra.join(', ')}` : '';
  return `bubblewrap: everything read-only except the worktree, ${git}, a private TMPDIR${added}; own PID namespace`;
}

export interface ConfinedCommand {
  file: string;
  args: string[];
  /** Environment to add: TMPDIR (and TMP, TEMP) pointing at the private temp folder. */
  env: Record<string, string>;
  report: SandboxReport;
  /** Remove the private temp folder; call once the turn's processes are gone. */
  cleanup: () => void;
}

/**
 * `command` as run under the policy: inside bubblewrap when the policy allows it and the machine has it,
 * writable only where an agent works; else unchanged, with a report that says it was not sandboxed.
 */
export function confineCommand(
  policy: SandboxPolicy,
  worktree: string,
  command: { file: string; args: string[] },
): ConfinedCommand {
  const report = bubblewrapReport(policy);
  const probe = probeBubblewrap();
  if (report.kind !== 'bubblewrap' || !probe.available) {
    return { ...command, env: {}, report, cleanup: () => {} };
  }
  const git = gitWritableParts(worktree);
  const tmp = privateTempDir();
  // bwrap cannot bind a path that does not exist: one the user named that is missing stays unwritable.
  const extra = policy.writablePaths.filter((path) => existsSync(path));
  const args = bubblewrapArgs(
    { writable: [worktree, ...git.writable, tmp, ...extra], readOnly: git.readOnly, cwd: worktree },
    [command.file, ...command.args],
  );
  return {
    file: probe.path,
    args,
    env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    report: { kind: 'bubblewrap', description: bubblewrapSentence(policy.writablePaths, git.summary) },
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/**
 * A fresh temp folder for one turn, outside the worktree: the only temp space the sandboxed agent can write.
 * Its name carries Sluice's pid, so the folders of a Sluice that was killed before it could remove them are
 * found and removed the next time one is made.
 */
export function privateTempDir(): string {
  removeOrphanedTempDirs();
  return mkdtempSync(join(tmpdir(), `${tempPrefix}${process.pid}-`));
}

const tempPrefix = 'sluice-agent-tmp-';

function removeOrphanedTempDirs(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const owner = Number(new RegExp(`^${tempPrefix}(\\d+)-`).exec(name)?.[1]);
    if (!owner || isAlive(owner)) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
