import { formatUsageLine } from '../../usage/format-usage.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

const groupings = ['model', 'day', 'run'] as const;

/** `sluice usage`: the receipts, summed. */
export const command = declareCommand({
  name: 'usage',
  description: 'Tokens (input, output, cache read, cache write), cost and API time of every run of this project.',
  flags: {
    dir: repositoryDirFlag,
    by: { type: 'enum', values: groupings, description: 'Sum by model, day or run (default: model)' },
    json: { type: 'boolean', description: 'Print machine-readable output only' },
  },
  async run(values) {
    const by = values.by ?? 'model';
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
  },
});

export const run = command.run;
