import type { TestChangeSet } from './js/test-changes.ts';

export const Severities = { block: 'block', warn: 'warn' } as const;
export type Severity = (typeof Severities)[keyof typeof Severities];

/** One thing the change did to the tests; `message` says exactly what to restore. */
export interface Finding {
  rule: string;
  /** Path relative to the repository root. */
  path: string;
  /** 1-based line: in the working tree when the file is still there, else at the base. */
  line: number;
  severity: Severity;
  message: string;
}

/** A check over the tests the change touched. */
export interface GuardRule {
  id: string;
  check(changes: TestChangeSet): Finding[];
}
