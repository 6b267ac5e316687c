import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

/** `sluice runs`: the runs of this project. */
export const command = declareCommand({
  name: 'runs',
  description: 'List runs, newest first: id, status, goal.',
  flags: {
    dir: repositoryDirFlag,
    limit: { type: 'whole', description: 'At most n runs (default 50)' },
    json: { type: 'boolean', description: 'Print machine-readable output only' },
  },
  async run(values) {
    const store = await openProjectRunStore(values.dir);
    try {
      const runs = await store.listRuns({ limit: values.limit ?? 50 });
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
  },
});

export const run = command.run;
