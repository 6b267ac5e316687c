import { restorePaths } from '../workspace/restore-paths.ts';
import type { Finding } from './finding.ts';
import { type GuardOptions, runGuard } from './run-guard.ts';

/** The guard's verdict on a change, after Sluice restored what the `revert` policy covers. */
export interface GuardReport {
  baseCommit: string;
  /** Findings that still stand: `block` (not done), `ask` (a human decides), `warn`. */
  findings: Finding[];
  /** Findings whose files Sluice restored from the base. */
  reverted: Finding[];
}

/**
 * Guard the working tree of `repoRoot` against `base`, then restore from the base every file with a
 * `revert` finding. The caller commits the restored files.
 */
export async function guardWorktree(options: {
  repoRoot: string;
  base: string;
  config?: GuardOptions['config'];
  paths?: GuardOptions['paths'];
}): Promise<GuardReport> {
  const result = await runGuard(options);
  const reverted = result.findings.filter((finding) => finding.severity === 'revert');
  await restorePaths(options.repoRoot, result.baseCommit, [...new Set(reverted.map((finding) => finding.path))]);
  return {
    baseCommit: result.baseCommit,
    findings: result.findings.filter((finding) => finding.severity !== 'revert'),
    reverted,
  };
}

/** Findings that keep the change from being done. */
export function blockingFindings(report: GuardReport): Finding[] {
  return report.findings.filter((finding) => finding.severity === 'block');
}

/** What the agent reads about the guard: what to restore, and what Sluice restored itself. Empty when nothing. */
export function guardFeedback(report: GuardReport): string {
  const lines: string[] = [];
  const blocking = blockingFindings(report);
  if (blocking.length > 0) {
    lines.push(
      `Test guard: the change weakens the tests (${blocking.length} finding${blocking.length === 1 ? '' : 's'}); undo it, then fix the code instead:`,
    );
    for (const finding of blocking) lines.push(`- ${finding.path}:${finding.line} ${finding.rule}: ${finding.message}`);
  }
  if (report.reverted.length > 0) {
    lines.push('Sluice restored these files from the base; do not change them again:');
    for (const finding of report.reverted) lines.push(`- ${finding.path}: ${finding.rule}: ${finding.message}`);
  }
  return lines.join('\n');
}

/** A short stable summary of what blocks, so the same tampering twice in a row counts as a stall. */
export function guardSignature(report: GuardReport): string | undefined {
  const blocking = blockingFindings(report);
  if (blocking.length === 0) return undefined;
  return blocking
    .map((finding) => `guard:${finding.rule}:${finding.path}`)
    .sort()
    .join('|');
}
