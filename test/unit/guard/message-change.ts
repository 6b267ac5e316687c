import { expect } from 'vitest';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { Finding } from '../../../src/guard/finding.ts';
import { expectedValueChanged } from '../../../src/guard/rules/expected-value-changed.ts';
import type { TokenForm } from '../../../src/guard/tests/test-case.ts';
import { compareTests } from '../../../src/guard/tests/test-changes.ts';
import { testLanguageOf } from '../../../src/guard/tests/test-languages.ts';

const formOf = ({ key, skeleton }: TokenForm) => ({ key, skeleton });

/** Key and skeleton of every test body and assertion of a test file. */
function formsOf(path: string, source: string) {
  const tests = testLanguageOf(path)?.parseTests(path, source) ?? [];
  return tests.map((test) => ({ body: formOf(test.body), assertions: test.assertions.map(formOf) }));
}

/** What expected-value-changed finds when `path` changes from `before` to `after`. */
function valueFindings(path: string, before: string, after: string): Finding[] {
  const changed: ChangedFile[] = [{ path, status: 'modified', before, after }];
  return expectedValueChanged.check({ ...compareTests('main', changed), changed, protectedBy: () => undefined });
}

/** A reworded failure message leaves every key and skeleton as it was, so the rule finds nothing. */
export function expectMessageOnly(path: string, before: string, after: string): void {
  expect(after).not.toBe(before);
  expect(formsOf(path, after)).toEqual(formsOf(path, before));
  expect(valueFindings(path, before, after)).toEqual([]);
}

/** A changed value keeps the skeleton of an assertion or of the body but not its key, and the rule blocks it. */
export function expectValueChange(path: string, before: string, after: string): void {
  const [was, now] = [formsOf(path, before), formsOf(path, after)];
  expect(now.map((test) => test.body.skeleton)).toEqual(was.map((test) => test.body.skeleton));
  expect(now.map((test) => test.body.key)).not.toEqual(was.map((test) => test.body.key));
  expect(valueFindings(path, before, after).map((finding) => finding.rule)).toContain('expected-value-changed');
}
