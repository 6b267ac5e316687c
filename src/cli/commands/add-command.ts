import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { checklistItems } from '../../loop/plan-progress.ts';
import type { NewTask } from '../../store/task-records.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

const help = `Usage: sluice add "<goal>" [options]
       sluice add --from <file> [options]

Queue tasks for "sluice work", which starts a run for each when admission allows (free slot, spend
cap, and room in the review queue).

Options:
  -C, --dir <path>      Project folder (default: current folder)
      --accept <cmd>    A command that must pass before the run is done (repeatable)
      --priority <n>    Higher starts first (default 0; may be negative)
      --from <file>     One task per unchecked item ("- [ ] ...") of a Markdown checklist or plan
      --json            Print the queued tasks as JSON
  -h, --help            Show this help`;

/** `sluice add`: goals -> queued tasks in the store. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      accept: { type: 'string', multiple: true },
      priority: { type: 'string' },
      from: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const priority = values.priority === undefined ? 0 : Number(values.priority);
  if (!Number.isInteger(priority)) throw new UsageError(`--priority expects a whole number, got "${values.priority}"`);
  const accept = values.accept ?? [];
  const tasks = values.from
    ? await tasksFromFile(resolve(values.from), { accept, priority }, positionals)
    : tasksFromArguments(positionals, { accept, priority });
  const store = await openProjectRunStore(values.dir);
  try {
    const added = await store.queue.addTasks(tasks);
    if (values.json) writeOut(JSON.stringify(added, null, 2));
    else
      for (const task of added) writeOut(`queued ${task.id}: ${task.goal}${priority ? ` (priority ${priority})` : ''}`);
    return 0;
  } finally {
    await store.close();
  }
}

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
