import { z } from 'zod';
import { benchSchema } from './bench-schema.ts';
import { checkConfigPaths } from './config-paths.ts';
import { durationSchema } from './duration.ts';
import { browserSchema, httpSchema } from './e2e-schema.ts';
import { guardSchema } from './guard-schema.ts';
import { invariantSchema } from './invariant-schema.ts';
import { logAssertionsSchema } from './log-schema.ts';
import { queueSchema, reviewSchema } from './review-schema.ts';
import { agentSchema, budgetsSchema, notifySchema, pricingSchema, stallSchema } from './run-schema.ts';
import { serviceSchema } from './service-schema.ts';
import { setupSchema } from './setup-schema.ts';
import { checkGateKinds } from './validate-gate-kinds.ts';

/**
 * What a gate checks. Most kinds only label a command; `bench`, `invariant`, `http` and `browser`
 * are judged by Sluice from their own block of the same name.
 */
export const gateKinds = [
  'build',
  'typecheck',
  'lint',
  'test',
  'e2e',
  'bench',
  'invariant',
  'log',
  'http',
  'browser',
  'other',
] as const;
export type GateKind = (typeof gateKinds)[number];

/** Report formats Sluice can read failures from. */
export const reportFormats = [
  'junit',
  'tap',
  'jest-json',
  'vitest-json',
  'go-test-json',
  'eslint-json',
  'tsc',
  'mocha-json',
  'ava',
  'generic',
] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const gateNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Names that mean something to every JavaScript object: `__proto__` as a key replaces an object's
 * prototype instead of adding an entry (the gate would vanish), and a lookup of a missing name
 * finds `constructor` or `prototype` on the prototype chain. Refused rather than half working.
 */
const reservedNames = new Set(['__proto__', 'constructor', 'prototype']);

function nameSchema(what: 'gate' | 'service') {
  return z
    .string()
    .regex(gateNamePattern, `${what} names use letters, digits, ".", "_" and "-"`)
    .refine((name) => !reservedNames.has(name), {
      error: (issue) => `${what} name "${String(issue.input)}" is reserved by JavaScript; choose another name`,
    });
}

export const reportSchema = z
  .strictObject({
    format: z.enum(reportFormats).describe('How to read the report.'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe("File the gate writes, relative to the gate's cwd. Without it, the gate's own output is parsed."),
  })
  .describe('Where the failures of this gate can be read, so the feedback names them exactly.');

import { minimumFeedbackBudget } from './feedback-limits.ts';

export { minimumFeedbackBudget };

export const feedbackSchema = z
  .strictObject({
    budget: z
      .number()
      .int()
      .min(minimumFeedbackBudget)
      .default(4000)
      .describe('Size limit of the agent feedback, in characters.'),
  })
  .describe('The compact feedback an agent reads.');

export const gateSchema = z
  .strictObject({
    run: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Shell command to run (sh -c). Optional for `http`, `browser`, and `log` gates that read a service log.',
      ),
    cwd: z.string().min(1).default('.').describe('Working directory, relative to the folder of sluice.yaml.'),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({})
      .describe('Extra environment variables. They are part of the cache key.'),
    timeout: durationSchema.prefault('10m').describe('Kill the gate and all its descendants after this long.'),
    needs: z.array(z.string()).default([]).describe('Gates that must pass before this one starts.'),
    kind: z.enum(gateKinds).default('other').describe('What the gate checks.'),
    inputs: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Globs, relative to the folder of sluice.yaml, whose contents form the cache key. Without inputs the gate always runs.',
      ),
    report: reportSchema.optional(),
    blocking: z
      .boolean()
      .default(true)
      .describe('A failing blocking gate fails the check (and keeps a run from being done).'),
    tier: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe('Cheap gates first: a tier starts only when every blocking gate of the lower tiers passed.'),
    services: z
      .array(z.string().min(1))
      .default([])
      .describe('Services started (once per check) and ready before this gate runs.'),
    bench: benchSchema.optional(),
    invariant: invariantSchema.optional(),
    log: logAssertionsSchema
      .optional()
      .describe("Lines the gate's output (or a service's log) must and must not contain."),
    http: httpSchema.optional(),
    browser: browserSchema.optional(),
  })
  .describe('One check, run in its own process group.');

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    version: z.literal(1).default(1).describe('Config format version.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Gates run at once. Default: one per core, and more while cores sit idle (gates that wait overlap; CPU-bound ones do not oversubscribe).',
      ),
    feedback: feedbackSchema.default({ budget: 4000 }),
    acceptance: z
      .array(z.string().min(1))
      .default([])
      .describe('Commands that must also pass on the final tree before a run is done (besides the gates).'),
    agent: agentSchema.optional(),
    budgets: budgetsSchema.optional(),
    stall: stallSchema.optional(),
    notify: notifySchema.optional(),
    pricing: pricingSchema.optional(),
    guard: guardSchema.prefault({}),
    review: reviewSchema.prefault({}),
    queue: queueSchema.prefault({}),
    services: z
      .record(nameSchema('service'), serviceSchema)
      .default({})
      .describe('Things gates need running, by name; each gate lists the ones it needs in `services`.'),
    setup: setupSchema,
    gates: z
      .record(nameSchema('gate'), gateSchema)
      .refine((gates) => Object.keys(gates).length > 0, 'define at least one gate')
      .describe('The checks, by name.'),
  })
  .superRefine((config, context) => {
    checkGateKinds(config, context);
    checkConfigPaths(config, context);
    for (const [name, gate] of Object.entries(config.gates)) {
      gate.needs.forEach((needed, index) => {
        const target = Object.hasOwn(config.gates, needed) ? config.gates[needed] : undefined;
        const path = ['gates', name, 'needs', index];
        if (!target) {
          context.addIssue({ code: 'custom', path, message: `unknown gate "${needed}"` });
        } else if (needed === name) {
          context.addIssue({ code: 'custom', path, message: 'a gate cannot need itself' });
        } else if (target.tier > gate.tier) {
          context.addIssue({
            code: 'custom',
            path,
            message: `"${needed}" is in tier ${target.tier}, after this gate's tier ${gate.tier}`,
          });
        }
      });
    }
    const cycle = findCycle(config.gates);
    if (cycle) {
      context.addIssue({
        code: 'custom',
        path: ['gates', cycle[0] ?? ''],
        message: `gates need each other in a cycle: ${cycle.join(' -> ')}`,
      });
    }
  })
  .describe('Sluice configuration: the gates that judge every change.');

export type SluiceConfig = z.output<typeof configSchema>;
export type GateConfig = z.output<typeof gateSchema>;

/**
 * The first cycle of `needs`, as the path that closes it; undefined when there is none. A depth-first
 * walk with a stack of its own, not recursion: a chain of 20,000 gates must not overflow the call stack.
 */
function findCycle(gates: Record<string, { needs: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const needsOf = (name: string) => (Object.hasOwn(gates, name) ? (gates[name]?.needs ?? []) : []);
  for (const start of Object.keys(gates).sort()) {
    if (state.has(start)) continue;
    // The path being walked, each gate with the index of the next of its needs to look at.
    const path: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    state.set(start, 'visiting');
    while (path.length > 0) {
      const top = path[path.length - 1] as { name: string; next: number };
      const needed = needsOf(top.name)[top.next++];
      if (needed === undefined) {
        state.set(top.name, 'done');
        path.pop();
      } else if (state.get(needed) === 'visiting') {
        const names = path.map((step) => step.name);
        return [...names.slice(names.indexOf(needed)), needed];
      } else if (!state.has(needed) && Object.hasOwn(gates, needed)) {
        state.set(needed, 'visiting');
        path.push({ name: needed, next: 0 });
      }
    }
  }
  return undefined;
}
