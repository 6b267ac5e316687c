import { z } from 'zod';
import { durationSchema } from './duration.ts';

export const reviewCostSchema = z
  .strictObject({
    base_minutes: z
      .number()
      .min(0)
      .default(5)
      .describe('Minutes any change costs a reviewer: reading the evidence, context.'),
    minutes_per_100_lines: z.number().min(0).default(10).describe('Minutes per 100 lines changed (added + deleted).'),
    minutes_per_file: z.number().min(0).default(1).describe('Minutes per file touched.'),
    risky_paths: z
      .array(z.string().min(1))
      .default([])
      .describe('Globs of files that take a closer look (migrations, auth, payments).'),
    risky_factor: z.number().min(1).default(2).describe('Multiplier when the change touches a risky path.'),
  })
  .describe(
    'Estimated review cost of a change, in minutes: (base + lines/100 x per_100_lines + files x per_file), times risky_factor when a risky path is touched.',
  );

export const reviewSchema = z
  .strictObject({
    capacity_minutes_per_day: z
      .number()
      .positive()
      .optional()
      .describe(
        'Review minutes the reviewers decide per day. Without it, measured from recorded decisions (exponentially weighted by day).',
      ),
    target_latency: durationSchema
      .prefault('1d')
      .describe('How long a finished change may wait for review: the queue is held to capacity x this.'),
    max_change_lines: z
      .number()
      .int()
      .positive()
      .default(400)
      .describe('A change above this many lines is not done: the agent is told to make it smaller or split it.'),
    land: z
      .enum(['fast-forward', 'squash'])
      .default('squash')
      .describe('How approve lands a change on the base branch, after re-running the gates on the rebased result.'),
    pull_request: z
      .boolean()
      .default(false)
      .describe('On approve, open a pull request with `gh` instead of landing locally.'),
    cost: reviewCostSchema.prefault({}),
  })
  .describe('The human at the end of the line: review capacity paces the agents.');

export const queueSchema = z
  .strictObject({
    concurrency: z.number().int().min(1).default(2).describe('Runs at once under `sluice work`.'),
    max_usd_per_day: z.number().positive().optional().describe('Dollars all runs may spend per day (UTC).'),
    poll: durationSchema.prefault('2s').describe('How often `sluice work` looks for room and new tasks.'),
  })
  .describe('`sluice work`: how many runs start, and how much they may spend.');

export type ReviewConfig = z.output<typeof reviewSchema>;
export type ReviewCostConfig = z.output<typeof reviewCostSchema>;
export type QueueConfig = z.output<typeof queueSchema>;
