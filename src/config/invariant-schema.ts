import { z } from 'zod';

export const invariantSchema = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .optional()
      .describe(
        "A JSON file the command writes, relative to the gate's cwd. Without it: the last JSON document the command prints.",
      ),
    assert: z
      .array(
        z
          .union([
            z.string().min(1),
            z.strictObject({
              that: z.string().min(1).describe('A JSONata expression that must be true.'),
              name: z.string().min(1).optional().describe('What it means, for the feedback.'),
            }),
          ])
          .describe(
            'An assertion: the JSONata expression itself, or `{ that, name }` to say in the feedback what a failed one means (`name: totals add up`).',
          ),
      )
      .min(1)
      .describe(
        'JSONata expressions over the JSON that must all be true, e.g. `$abs($sum(channels.bytes) - total.bytes) <= 0.001 * total.bytes`.',
      ),
  })
  .describe('Assertions over the JSON a command produces.');

export type InvariantConfig = z.output<typeof invariantSchema>;
