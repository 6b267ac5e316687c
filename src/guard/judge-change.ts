import type { GuardConfig } from '../config/guard-schema.ts';
import { avaTestFiles } from './ava-test-files.ts';
import { type ChangedPath, readChanges } from './changed-files.ts';
import type { Finding, GuardRule } from './finding.ts';
import { protectionOf } from './protection.ts';
import { withRulePolicy } from './rule-policy.ts';
import { guardRules } from './rules/all-rules.ts';
import { withSharedParses } from './tests/shared-parse.ts';
import { compareTests } from './tests/test-changes.ts';
import { isTestFile, mayHoldTests } from './tests/test-languages.ts';
import { testFilesAtBase, unchangedFilesAtBase } from './unchanged-files.ts';

/**
 * The rules' findings on a non-empty change, sorted. Its own module because it loads every rule, parser and
 * runner-config reader: run-guard imports it only when something changed.
 */
export async function judgeChange(options: {
  repoRoot: string;
  base: string;
  baseCommit: string;
  paths: readonly ChangedPath[];
  config: GuardConfig;
  rules: readonly GuardRule[] | undefined;
}): Promise<Finding[]> {
  const { repoRoot, baseCommit, config } = options;
  const rules = options.rules ?? guardRules;
  const configuredJsTests = await avaTestFiles(repoRoot, baseCommit);
  const read = (path: string) =>
    mayHoldTests(path) || configuredJsTests?.(path) === true || rules.some((rule) => rule.reads?.(path) ?? false);
  const changed = await readChanges(repoRoot, baseCommit, options.paths, read);
  const protection = protectionOf(config);
  const atBase = rules.flatMap((rule) => rule.readsAtBase?.(changed) ?? []);
  const listsTestFiles = rules.some((rule) => rule.readsTestFilesAtBase?.(changed) ?? false);
  const [unchangedAtBase, testFiles] = await Promise.all([
    atBase.length === 0
      ? undefined
      : unchangedFilesAtBase(
          repoRoot,
          baseCommit,
          changed,
          (path) => atBase.some((reads) => reads(path)),
          rules.flatMap((rule) => rule.foldersAtBase?.(changed) ?? []),
        ),
    listsTestFiles ? testFilesAtBase(repoRoot, baseCommit, isTestFile) : undefined,
  ]);
  // Parsing is synchronous from here on (tests are read lazily, by the rules that need them): share the trees.
  const findings = withSharedParses(() => {
    const context = {
      ...compareTests(options.base, changed, configuredJsTests),
      changed,
      protectedBy: protection.protectedBy,
      unchangedAtBase,
      ...(testFiles ? { testFilesAtBase: testFiles } : {}),
    };
    return rules.flatMap((rule) => withRulePolicy(rule.check(context), config.rules, rule.id));
  });
  findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
  return findings;
}
