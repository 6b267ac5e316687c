import type { Hono } from 'hono';
import { z } from 'zod';
import type { TaskRecord, TaskStatus } from '../store/task-records.ts';
import type { TaskList, TaskView } from './api-types.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './read-body.ts';
import type { ServerContext } from './server-context.ts';
import { taskViewOf } from './views.ts';

const addBody = z
  .object({
    goal: z.string().trim().min(1, 'a task needs a goal').max(20_000),
    accept: z.array(z.string().trim().min(1).max(2_000)).max(50).optional(),
    priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  })
  .strict();
const reorderBody = z.object({ ids: z.array(z.string().min(1).max(200)).min(1).max(10_000) }).strict();

/** Where tasks that wait or work are shown first; decided ones after. */
const statusOrder: Record<TaskStatus, number> = {
  running: 0,
  rework: 1,
  review: 2,
  queued: 3,
  blocked: 4,
  landed: 5,
  rejected: 6,
};

/** Tasks that have not started a run (or wait to rework one) can be cancelled. */
const cancellable: readonly TaskStatus[] = ['queued', 'blocked'];

export function registerTaskRoutes(app: Hono, ctx: ServerContext): void {
  app.get('/api/tasks', async (c) => c.json<TaskList>(await taskList(ctx)));

  app.post('/api/tasks', async (c) => {
    const body = await readJsonBody(c, addBody);
    const [task] = await ctx.store.queue.addTasks([
      { goal: body.goal, accept: body.accept ?? [], priority: body.priority ?? 0, source: 'serve' },
    ]);
    if (!task) throw new HttpError(500, 'INTERNAL', 'the task was not added');
    return c.json<TaskView>(taskViewOf(task), 201);
  });

  app.post('/api/tasks/reorder', async (c) => {
    const body = await readJsonBody(c, reorderBody);
    await ctx.store.queue.reorderQueuedTasks(body.ids);
    return c.json<TaskList>(await taskList(ctx));
  });

  app.post('/api/tasks/:taskId/cancel', async (c) => {
    const id = c.req.param('taskId');
    const task = await ctx.store.queue.getTask(id);
    if (!task) throw new HttpError(404, 'NOT_FOUND', `no task ${id}`);
    const moved = await ctx.store.queue.moveTask(id, cancellable, 'rejected', {
      waitReason: 'cancelled in sluice serve',
    });
    if (!moved) {
      throw new HttpError(
        409,
        'CONFLICT',
        `task ${id} is ${task.status}; only ${cancellable.join(' or ')} tasks can be cancelled (cancel its run instead)`,
      );
    }
    const after = (await ctx.store.queue.getTask(id)) as TaskRecord;
    return c.json<TaskView>(taskViewOf(after));
  });
}

export async function taskList(ctx: ServerContext): Promise<TaskList> {
  const tasks = await ctx.store.queue.listTasks();
  // listTasks gives queue order (priority, then position); a stable sort by status keeps it.
  const sorted = [...tasks].sort((a, b) => statusOrder[a.status] - statusOrder[b.status]);
  return { tasks: sorted.map(taskViewOf) };
}
