import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateTempDir } from '../../process/sandbox/confine.ts';
import { gitWritableParts } from '../../process/sandbox/git-writable-paths.ts';
import { probeCommand } from '../../process/sandbox/probe-command.ts';
import type { SandboxPolicy, SandboxReport } from '../../process/sandbox/sandbox-policy.ts';

const probed = new Map<string, SandboxReport>();

/**
 * Whether Codex's own Linux sandbox starts here (it brings its own bubblewrap, which needs namespaces the
 * machine may forbid): `codex sandbox` runs `/bin/true` in a workspace-write sandbox once per binary.
 */
export function codexSandboxReport(binary: string, policy: SandboxPolicy): SandboxReport {
  if (policy.mode === 'off') return { kind: 'none', description: 'not sandboxed: agent.sandbox is off' };
  let report = probed.get(binary);
  if (!report) {
    report = probeCodexSandbox(binary, policy.writablePaths);
    probed.set(binary, report);
  }
  return report;
}

function probeCodexSandbox(binary: string, extra: string[]): SandboxReport {
  // Codex refuses to put its helper links in a CODEX_HOME under TMPDIR: keep the two apart.
  const home = mkdtempSync(join(tmpdir(), 'sluice-codex-probe-home-'));
  const tmp = mkdtempSync(join(tmpdir(), 'sluice-codex-probe-tmp-'));
  try {
    const result = probeCommand(binary, ['sandbox', '-c', 'sandbox_mode="workspace-write"', '--', '/bin/true'], {
      env: { CODEX_HOME: home, TMPDIR: tmp },
      cwd: tmp,
    });
    if (!result.ok)
      return { kind: 'none', description: `not sandboxed: Codex's sandbox cannot start here (${result.reason})` };
    return { kind: 'codex-sandbox', description: codexSentence(extra, 'its git objects and branch ref') };
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

function codexSentence(extra: string[], git: string): string {
  const added = extra.length > 0 ? `, and ${extra.join(', ')}` : '';
  return `Codex sandbox (workspace-write): everything read-only except the worktree, ${git}, a private TMPDIR${added}; network open`;
}

export interface CodexTurnSandbox {
  writableRoots: string[];
  env: Record<string, string>;
  report: SandboxReport;
  cleanup: () => void;
}

/** The writable roots and private TMPDIR of one sandboxed Codex turn in `worktree`. */
export function codexTurnSandbox(worktree: string, policy: SandboxPolicy): CodexTurnSandbox {
  const git = gitWritableParts(worktree);
  const tmp = privateTempDir();
  return {
    writableRoots: [...git.writable, ...policy.writablePaths.filter((path) => existsSync(path))],
    env: { TMPDIR: tmp },
    report: { kind: 'codex-sandbox', description: codexSentence(policy.writablePaths, git.summary) },
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
