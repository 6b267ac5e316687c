import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import { checklistItems } from '../../loop/plan-progress.ts';
import type { NewTask } from '../../store/task-records.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

/** `sluice add`: goals -> queued tasks in the store. */
export const command = declareCommand({
  name: 'add',
  description:
    'Usage: sluice add "<goal>" [options], or sluice add --from <file> [options]\n\nQueue tasks for "sluice work", which starts a run for each when admission allows (free slot, spend\ncap, and room in the review queue).',
  flags: {
    dir: { type: 'string', alias: 'C', placeholder: 'path', description: 'Project folder (default: current folder)' },
    accept: {
      type: 'string',
      placeholder: 'cmd',
      multiple: true,
      description: 'A command that must pass before the run is done (repeatable)',
    },
    priority: { type: 'string', placeholder: 'n', description: 'Higher starts first (default 0; may be negative)' },
    from: {
      type: 'string',
      placeholder: 'file',
      description: 'One task per unchecked item ("- [ ] ...") of a Markdown checklist or plan',
    },
    json: { type: 'boolean', description: 'Print the queued tasks as JSON' },
  },
  positionals: { placeholder: 'goal', description: 'The goal, in quotes' },
  async run(values, positionals) {
    const priority = values.priority === undefined ? 0 : Number(values.priority);
    if (!Number.isInteger(priority))
      throw new UsageError(`--priority expects a whole number, got "${values.priority}"`);
    const accept = values.accept ?? [];
    const tasks = values.from
      ? await tasksFromFile(resolve(values.from), { accept, priority }, positionals)
      : tasksFromArguments(positionals, { accept, priority });
    const store = await openProjectRunStore(values.dir);
    try {
      const added = await store.queue.addTasks(tasks);
      if (values.json) writeOut(JSON.stringify(added, null, 2));
      else
        for (const task of added)
          writeOut(`queued ${task.id}: ${task.goal}${priority ? ` (priority ${priority})` : ''}`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;

function tasksFromArguments(goals: string[], shared: Pick<NewTask, 'accept' | 'priority'>): NewTask[] {
  if (goals.length !== 1) throw new UsageError('give one goal in quotes, or --from <file>; "sluice add --help"');
  const goal = (goals[0] ?? '').trim();
  if (goal === '') throw new UsageError('the goal is empty');
  return [{ goal, ...shared, source: 'cli' }];
}

async function tasksFromFile(
  path: string,
  shared: Pick<NewTask, 'accept' | 'priority'>,
  extra: string[],
): Promise<NewTask[]> {
  if (extra.length > 0) throw new UsageError('give either a goal or --from <file>, not both');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`cannot read ${path}`);
  });
  const open = checklistItems(text).filter((item) => !item.done);
  if (open.length === 0) throw new UsageError(`${path} has no unchecked items ("- [ ] goal") to queue`);
  return open.map((item) => ({ goal: item.title, ...shared, source: `${path}:${item.line}` }));
}
