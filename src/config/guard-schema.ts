import { z } from 'zod';

/** Every rule of `sluice guard`, by the id findings carry. */
export const guardRuleIds = [
  'protected-path-changed',
  'test-file-deleted',
  'tests-removed',
  'skip-marker-added',
  'assertions-removed',
  'assertions-unreachable',
  'expected-value-changed',
  'table-row-changed',
  'assertion-weakened',
  'runner-config-narrowed',
  'runner-code-loaded',
  'snapshot-rewritten',
] as const;
export type GuardRuleId = (typeof guardRuleIds)[number];

/** What happens to a rule's blocking findings. */
export const guardPolicies = ['block', 'revert', 'ask', 'warn', 'off'] as const;
export type GuardPolicy = (typeof guardPolicies)[number];

/** Files the agent must not change at all, besides the tests (whose changes the rules judge one by one). */
export const defaultProtectedGlobs = [
  'sluice.yaml',
  '**/sluice.yaml',
  '.sluice/workflows/**',
  '.github/workflows/**',
  '.gitlab-ci.yml',
  '.circleci/**',
  '.buildkite/**',
  'azure-pipelines.yml',
  'bitbucket-pipelines.yml',
  '.travis.yml',
  'Jenkinsfile',
  '.ci/**',
  '.husky/**',
  'lefthook.yml',
  '.pre-commit-config.yaml',
] as const;

const globList = z.array(z.string().min(1));

export const guardSchema = z
  .strictObject({
    protect: globList
      .default([])
      .describe(
        'More globs (relative to the repository root) of files the agent must not change; added to the defaults: sluice.yaml and CI config. New files are allowed.',
      ),
    allow: globList.default([]).describe('Globs taken out of the protected files, defaults included.'),
    protect_tests: z
      .boolean()
      .default(true)
      .describe(
        'Tool hooks deny Write/Edit to existing test files (new test files are allowed). Changes made anyway are judged by the rules.',
      ),
    rules: z
      .partialRecord(z.enum(guardRuleIds), z.enum(guardPolicies))
      .default({})
      .describe(
        'Policy per rule: block (the run cannot be done until restored), revert (Sluice restores the files from the base and tells the agent), ask (a human decides in review), warn, off. Default: block.',
      ),
  })
  .describe('`sluice guard`: what counts as weakening the tests, and what happens then.');

export type GuardConfig = z.output<typeof guardSchema>;
export const defaultGuardConfig: GuardConfig = guardSchema.parse({});
