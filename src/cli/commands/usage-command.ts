import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { formatUsageLine } from '../../usage/format-usage.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

const help = `Usage: sluice usage [--by model|day|run] [--json] [-C <dir>]

Tokens (input, output, cache read, cache write), cost and API time of every run of this project.`;

const groupings = ['model', 'day', 'run'] as const;

/** `sluice usage`: the receipts, summed. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dir: { type: 'string', short: 'C' },
      by: { type: 'string', default: 'model' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const by = values.by as (typeof groupings)[number];
  if (!groupings.includes(by)) throw new UsageError(`--by must be one of ${groupings.join(', ')}`);
  const store = await openProjectRunStore(values.dir);
  try {
    const totals = await store.usageTotals({ by });
    if (values.json) {
      writeOut(JSON.stringify(totals, null, 2));
      return 0;
    }
    if (totals.length === 0) {
      writeOut('No usage recorded yet.');
      return 0;
    }
    for (const total of totals) {
      const unknown = total.unknownCostRecords > 0 ? ` — cost unknown for ${total.unknownCostRecords} record(s)` : '';
      writeOut(`${formatUsageLine({ ...total, model: total.key })}${unknown}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
