import { z } from 'zod';
import { textPattern } from './service-schema.ts';

export const logAssertionsSchema = z
  .strictObject({
    of: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A service whose log to read (list it in the gate's `services`). Without it: the output of the gate's own command.",
      ),
    must: z.array(textPattern).default([]).describe('Each must match at least one line.'),
    must_not: z.array(textPattern).default([]).describe('None may match any line.'),
  })
  .refine((log) => log.must.length + log.must_not.length > 0, 'give `must` or `must_not` lines')
  .describe('Lines a log must and must not contain.');

export type LogAssertions = z.output<typeof logAssertionsSchema>;
