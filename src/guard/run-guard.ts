import { defaultGuardConfig, type GuardConfig, type GuardPolicy } from '../config/guard-schema.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { avaTestFiles } from './ava-test-files.ts';
import { changedFiles } from './changed-files.ts';
import type { Finding, GuardRule } from './finding.ts';
import { protectionOf } from './protection.ts';
import { guardRules } from './rules/all-rules.ts';
import { compareTests } from './tests/test-changes.ts';
import { mayHoldTests } from './tests/test-languages.ts';
import { unchangedFilesAtBase } from './unchanged-files.ts';

export interface GuardOptions {
  /** Top folder of the git working tree. */
  repoRoot: string;
  /** The ref the change is measured from (default HEAD: the uncommitted work). */
  base?: string;
  /** `guard:` of sluice.yaml: protected globs and policies. */
  config?: GuardConfig;
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
  const config = options.config ?? defaultGuardConfig;
  const rules = options.rules ?? guardRules;
  // A full sha (what runs and hooks pass) needs no lookup; a wrong one fails in the diff below.
  const baseCommit = /^[0-9a-f]{40}$/.test(base) ? base : await resolveCommit(options.repoRoot, base);
  const configuredJsTests = await avaTestFiles(options.repoRoot, baseCommit);
  const read = (path: string) =>
    mayHoldTests(path) || configuredJsTests?.(path) === true || rules.some((rule) => rule.reads?.(path) ?? false);
  const changed = await changedFiles(options.repoRoot, baseCommit, read);
  const protection = protectionOf(config);
  const atBase = rules.flatMap((rule) => rule.readsAtBase?.(changed) ?? []);
  const unchangedAtBase =
    atBase.length === 0
      ? undefined
      : await unchangedFilesAtBase(options.repoRoot, baseCommit, changed, (path) =>
          atBase.some((reads) => reads(path)),
        );
  const context = {
    ...compareTests(base, changed, configuredJsTests),
    changed,
    protectedBy: protection.protectedBy,
    unchangedAtBase,
  };
  const findings = rules.flatMap((rule) => withPolicy(rule.check(context), config.rules[rule.id as never]));
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
  return { base, baseCommit, findings };
}

function withPolicy(findings: Finding[], policy: GuardPolicy | undefined): Finding[] {
  if (policy === 'off') return [];
  if (policy === undefined || policy === 'block') return findings;
  return findings.map((finding) => (finding.severity === 'block' ? { ...finding, severity: policy } : finding));
}

/** Whether any finding keeps the change from being done: `block`, or a `revert` not yet applied. */
export function hasBlockingFinding(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'block' || finding.severity === 'revert');
}
