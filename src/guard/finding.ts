import type { ChangedFile } from './changed-files.ts';
import type { TestChangeSet } from './tests/test-changes.ts';

/**
 * What a finding does. A rule reports `block` or `warn`; the rule's policy in sluice.yaml may turn its
 * `block` into `revert` (Sluice restores the file from the base) or `ask` (a human decides in review).
 */
export const Severities = { block: 'block', revert: 'revert', ask: 'ask', warn: 'warn' } as const;
export type Severity = (typeof Severities)[keyof typeof Severities];

/** One thing the change did to the tests or protected files; `message` says exactly what to restore. */
export interface Finding {
  rule: string;
  /** Path relative to the repository root. */
  path: string;
  /** 1-based line: in the working tree when the file is still there, else at the base. */
  line: number;
  severity: Severity;
  message: string;
}

/** Everything a rule may look at: the tests matched across the change, and every changed file. */
export interface GuardContext extends TestChangeSet {
  /** Every changed path; contents are loaded for test files and the files a rule `reads`. */
  changed: ChangedFile[];
  /** The glob of `guard.protect` (or the defaults) that protects `path` from any change, or undefined. */
  protectedBy(path: string): string | undefined;
  /**
   * Unchanged files at the base that a rule asked for with `readsAtBase`, by path: those in the folders of
   * the changed files and the folders above them (where the runner configs that name a file sit).
   */
  unchangedAtBase?: ReadonlyMap<string, string>;
  /** Every file at the base that holds tests by its name, changed or not: only when a rule asked (`readsTestFilesAtBase`). */
  testFilesAtBase?: readonly string[];
}

/** A check over the change. */
export interface GuardRule {
  id: string;
  /** Non-test files whose contents this rule needs (runner configs, snapshots); test files are always read. */
  reads?(path: string): boolean;
  /**
   * Unchanged files whose contents at the base this rule needs (the configs that name a changed setup
   * file), or undefined when the change needs none: then the base tree is not listed at all.
   */
  readsAtBase?(changed: readonly ChangedFile[]): ((path: string) => boolean) | undefined;
  /**
   * Folders beyond those of the changed files (and above them) whose files `readsAtBase` may want: the folder
   * of the module file a changed Rust file declares (`src/cart/tests/` for `src/cart.rs`).
   */
  foldersAtBase?(changed: readonly ChangedFile[]): string[];
  /**
   * Whether the change needs the list of every test file at the base (a runner configuration changed in a way
   * that may leave unchanged test files out): one `ls-tree` of the whole base, so only when it must.
   */
  readsTestFilesAtBase?(changed: readonly ChangedFile[]): boolean;
  check(context: GuardContext): Finding[];
}
