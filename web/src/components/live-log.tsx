import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { LogTail, SseEventMap } from '../../../src/server/api-types.ts';
import { getJson } from '../api/client.ts';

const keepChars = 64 * 1024;

/**
 * The agent's log as it is written: the tail on open, then the server's `log` events for this run.
 * A fixed-height box that follows the end unless the reader scrolled up.
 */
export function LiveLog({ runId, live }: { runId: string; live: boolean }) {
  const [text, setText] = useState<string | null>(null);
  const next = useRef<{ iteration: number | null; offset: number }>({ iteration: null, offset: 0 });
  const box = useRef<HTMLPreElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    getJson<LogTail>(`/api/runs/${encodeURIComponent(runId)}/log`)
      .then((tail) => {
        if (closed) return;
        next.current = { iteration: tail.iteration, offset: tail.nextOffset };
        setText(tail.text);
      })
      .catch(() => !closed && setText(''));
    if (live) {
      source = new EventSource(`/api/events?run=${encodeURIComponent(runId)}`);
      source.addEventListener('log', (event) => {
        const chunk = JSON.parse((event as MessageEvent<string>).data) as SseEventMap['log'];
        if (chunk.runId !== runId) return;
        const position = next.current;
        if (chunk.iteration === position.iteration && chunk.offset + chunk.text.length <= position.offset) return;
        const fresh = chunk.iteration !== position.iteration;
        const skip = fresh ? 0 : Math.max(0, position.offset - chunk.offset);
        next.current = { iteration: chunk.iteration, offset: chunk.offset + chunk.text.length };
        setText((old) => {
          const joined = `${old ?? ''}${fresh && old ? `\n── iteration ${chunk.iteration} ──\n` : ''}${chunk.text.slice(skip)}`;
          return joined.length > keepChars ? joined.slice(-keepChars) : joined;
        });
      });
    }
    return () => {
      closed = true;
      source?.close();
    };
  }, [runId, live]);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && follow.current) element.scrollTop = element.scrollHeight;
  }, [text]);

  return (
    <pre
      class="log"
      ref={box}
      data-testid="live-log"
      onScroll={(event) => {
        const element = event.currentTarget;
        follow.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {text === null ? 'Loading the agent log…' : text || 'The agent has not written anything yet.'}
    </pre>
  );
}
