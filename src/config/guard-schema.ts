import { z } from 'zod';
import { guardPolicies, guardRuleIds } from './guard-defaults.ts';

export {
  defaultGuardConfig,
  defaultProtectedGlobs,
  type GuardPolicy,
  type GuardRuleId,
  guardPolicies,
  guardRuleIds,
} from './guard-defaults.ts';

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
