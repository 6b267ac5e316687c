// The guard's ids and defaults, apart from the zod schema: `sluice guard` on an empty diff needs these and
// must not pay for loading zod (guard-schema.ts re-exports them, and a test checks they agree).

/** Every rule of `sluice guard`, by the id findings carry. */
export const guardRuleIds = [
  'protected-path-changed',
  'test-file-deleted',
  'test-file-uncollected',
  'tests-removed',
  'skip-marker-added',
  'assertions-removed',
  'assertions-unreachable',
  'expected-value-changed',
  'table-row-changed',
  'assertion-weakened',
  'test-support-weakened',
  'checks-suppressed',
  'checker-config-loosened',
  'runner-config-narrowed',
  'runner-code-loaded',
  'snapshot-rewritten',
  'code-detects-tests',
  'code-disarms-tests',
  'ignored-runner-file',
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

/** `guard:` when sluice.yaml has none: what `guardSchema.parse({})` gives (its type is the schema's output). */
export const defaultGuardConfig: {
  protect: string[];
  allow: string[];
  protect_tests: boolean;
  rules: Partial<Record<GuardRuleId, GuardPolicy>>;
} = { protect: [], allow: [], protect_tests: true, rules: {} };
