import { parseArgs } from 'node:util';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { parseWholeNumber } from './parse-flags.ts';

const help = `Usage: sluice runs [--limit <n>] [--json] [-C <dir>]

List runs, newest first: id, status, goal.`;

/** `sluice runs`: the runs of this project. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      dir: { type: 'string', short: 'C' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const store = await openProjectRunStore(values.dir);
  try {
    const runs = await store.listRuns({ limit: values.limit ? parseWholeNumber(values.limit, '--limit') : 50 });
    if (values.json) {
      writeOut(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      writeOut('No runs yet. Start one: sluice run "<goal>"');
      return 0;
    }
    const width = Math.max(...runs.map((entry) => entry.status.length));
    for (const entry of runs) {
      const goal = entry.goal.length > 70 ? `${entry.goal.slice(0, 69)}…` : entry.goal;
      writeOut(`${entry.id}  ${entry.status.padEnd(width)}  ${goal}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
