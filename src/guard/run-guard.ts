import { resolveCommit } from '../workspace/refs.ts';
import { changedFiles } from './changed-files.ts';
import type { Finding, GuardRule } from './finding.ts';
import { compareTests } from './js/test-changes.ts';
import { isJsTestFile } from './js/test-files.ts';
import { assertionsRemoved } from './rules/assertions-removed.ts';
import { skipMarkerAdded } from './rules/skip-marker-added.ts';
import { testFileDeleted } from './rules/test-file-deleted.ts';
import { testsRemoved } from './rules/tests-removed.ts';

/** The rules of this version: JS/TS test integrity. */
export const guardRules: readonly GuardRule[] = [testFileDeleted, testsRemoved, skipMarkerAdded, assertionsRemoved];

export interface GuardOptions {
  /** Top folder of the git working tree. */
  repoRoot: string;
  /** The ref the change is measured from (default HEAD: the uncommitted work). */
  base?: string;
  rules?: readonly GuardRule[];
}

export interface GuardResult {
  base: string;
  baseCommit: string;
  findings: Finding[];
}

/** Check the change from `base` to the working tree (uncommitted and untracked files included) for weakened tests. */
export async function runGuard(options: GuardOptions): Promise<GuardResult> {
  const base = options.base ?? 'HEAD';
  const baseCommit = await resolveCommit(options.repoRoot, base);
  const changed = await changedFiles(options.repoRoot, baseCommit, isJsTestFile);
  const changes = compareTests(base, changed);
  const findings = (options.rules ?? guardRules).flatMap((rule) => rule.check(changes));
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
  return { base, baseCommit, findings };
}

/** Whether any finding stops the change. */
export function hasBlockingFinding(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'block');
}
