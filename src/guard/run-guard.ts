import type { GuardConfig } from '../config/guard-schema.ts';
import { resolveCommit } from '../workspace/refs.ts';
import { type ChangedPath, changedPaths } from './changed-files.ts';
import type { Finding, GuardRule } from './finding.ts';

export interface GuardOptions {
  /** Top folder of the git working tree. */
  repoRoot: string;
  /** The ref the change is measured from (default HEAD: the uncommitted work). */
  base?: string;
  /** The commit `base` names, when the caller resolved it already (saves a git call). */
  baseCommit?: string;
  /**
   * `guard:` of sluice.yaml: protected globs and policies; a function is called only when something changed
   * (reading the config at the base costs a git call that an empty diff does not need).
   */
  config?: GuardConfig | (() => Promise<GuardConfig>);
  rules?: readonly GuardRule[];
  /** What changed from `baseCommit`, when the caller listed it already (`changedPaths`). */
  paths?: readonly ChangedPath[];
}

export interface GuardResult {
  base: string;
  baseCommit: string;
  findings: Finding[];
}

/** Check the change from `base` to the working tree (uncommitted and untracked files included) for weakened tests. */
export async function runGuard(options: GuardOptions): Promise<GuardResult> {
  const base = options.base ?? 'HEAD';
  // A full sha (what runs and hooks pass) needs no lookup; a wrong one fails in the diff below.
  const baseCommit =
    options.baseCommit ?? (/^[0-9a-f]{40}$/.test(base) ? base : await resolveCommit(options.repoRoot, base));
  const paths = options.paths ?? (await changedPaths(options.repoRoot, baseCommit));
  // Nothing changed, nothing weakened: an empty diff (every Stop hook of a turn that only read) loads no
  // rule, parser or runner-config reader; they are most of the guard's start-up.
  if (paths.length === 0) return { base, baseCommit, findings: [] };
  const [{ judgeChange }, { defaultGuardConfig }] = await Promise.all([
    import('./judge-change.ts'),
    import('../config/guard-defaults.ts'),
  ]);
  const findings = await judgeChange({
    repoRoot: options.repoRoot,
    base,
    baseCommit,
    paths,
    config: typeof options.config === 'function' ? await options.config() : (options.config ?? defaultGuardConfig),
    rules: options.rules,
  });
  return { base, baseCommit, findings };
}

/** Whether any finding keeps the change from being done: `block`, or a `revert` not yet applied. */
export function hasBlockingFinding(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'block' || finding.severity === 'revert');
}
