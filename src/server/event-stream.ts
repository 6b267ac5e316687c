import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RunRecord } from '../store/run-records.ts';
import { agentLogPath, readLogChunk } from './agent-log.ts';
import type { SseEventMap, SseEventName } from './api-types.ts';
import { configDirOf } from './run-routes.ts';
import type { ServerContext } from './server-context.ts';
import { type StoreWatch, watchIntervalMs } from './store-watch.ts';

const pingMs = 15_000;

/**
 * `/api/events`: store changes as they happen (another process's included), and with `?run=<id>` the
 * new text of that run's agent log. Ends when the client goes or the server stops (`closing`).
 */
export function eventStream(c: Context, ctx: ServerContext, watch: StoreWatch, closing: AbortSignal): Response {
  const runId = c.req.query('run');
  return streamSSE(c, async (stream) => {
    let open = true;
    const send = <N extends SseEventName>(name: N, data: SseEventMap[N]) =>
      stream.writeSSE({ event: name, data: JSON.stringify(data) }).catch(() => {
        open = false;
      });
    const finished = new Promise<void>((resolve) => {
      const end = () => {
        open = false;
        resolve();
      };
      stream.onAbort(end);
      if (closing.aborted) end();
      else closing.addEventListener('abort', end, { once: true });
    });
    await send('hello', { serverTime: ctx.now().toISOString(), version: ctx.version });
    const unsubscribe = watch.subscribe((event) => {
      if (open) void send(event.name, event.data as never);
    });
    const ping = setInterval(() => void send('ping', { serverTime: ctx.now().toISOString() }), pingMs);
    const tail = runId ? tailLog(ctx, runId, send, () => open) : undefined;
    try {
      await finished;
    } finally {
      clearInterval(ping);
      unsubscribe();
      await tail?.catch(ctx.reportInternalError);
    }
  });
}

/** Push new agent-log text of the run's latest iteration while the stream is open. */
async function tailLog(
  ctx: ServerContext,
  runId: string,
  send: (name: 'log', data: SseEventMap['log']) => Promise<void>,
  isOpen: () => boolean,
): Promise<void> {
  let iteration = 0;
  let offset: number | undefined;
  let run: RunRecord | undefined;
  while (isOpen()) {
    run = await ctx.store.getRun(runId);
    if (!run) return;
    const last = (await ctx.store.listIterations(runId)).at(-1);
    if (last && last.number !== iteration) {
      iteration = last.number;
      // A page that opens mid-iteration gets the tail of the log first, then what follows.
      offset = undefined;
    }
    if (iteration > 0) {
      const chunk = await readLogChunk(agentLogPath(run, configDirOf(run), iteration), offset);
      if (chunk.text !== '') await send('log', { runId, iteration, offset: chunk.offset, text: chunk.text });
      offset = chunk.nextOffset;
    }
    await new Promise((resolve) => setTimeout(resolve, watchIntervalMs));
  }
}
