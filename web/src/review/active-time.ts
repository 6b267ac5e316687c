import { useEffect, useRef } from 'preact/hooks';
import type { HeartbeatRequest, HeartbeatResult } from '../../../src/server/api-types.ts';
import { postJson } from '../api/client.ts';

const idleAfterMs = 60_000;
const tickMs = 1_000;
const sendEveryMs = 15_000;
const inputEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll', 'touchstart'] as const;

/**
 * Measures the reviewer's active time on one item: a second counts only while the page is visible and
 * focused and there was input in the last minute. Sent as heartbeats every 15 s (and when the item
 * changes or the page goes away); `takeUnsent()` hands the rest to the decision request.
 */
export function useActiveTime(
  runId: string | null,
  enabled: boolean,
): { takeUnsent: () => number; giveBack: (ms: number) => void } {
  const unsent = useRef(0);
  /** The item was decided: its time went with the decision, and nothing more is counted for it. */
  const closed = useRef(false);
  const lastInput = useRef(Date.now());

  useEffect(() => {
    const mark = () => {
      lastInput.current = Date.now();
    };
    for (const name of inputEvents) window.addEventListener(name, mark, { passive: true, capture: true });
    return () => {
      for (const name of inputEvents) window.removeEventListener(name, mark, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (!runId || !enabled) return;
    unsent.current = 0;
    closed.current = false;
    lastInput.current = Date.now();
    let last = Date.now();
    const send = (keepalive: boolean) => {
      const activeMs = Math.round(unsent.current);
      if (activeMs <= 0 || closed.current) return;
      unsent.current = 0;
      const body: HeartbeatRequest = { activeMs };
      const path = `/api/review/${encodeURIComponent(runId)}/heartbeat`;
      if (keepalive) {
        void fetch(path, {
          method: 'POST',
          keepalive: true,
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => {});
      } else {
        postJson<HeartbeatResult>(path, body).catch(() => {
          // Not lost: counted again and sent with the next heartbeat.
          unsent.current += activeMs;
        });
      }
    };
    const tick = window.setInterval(() => {
      const now = Date.now();
      const active =
        document.visibilityState === 'visible' && document.hasFocus() && now - lastInput.current < idleAfterMs;
      if (active && !closed.current) unsent.current += now - last;
      last = now;
    }, tickMs);
    const beat = window.setInterval(() => send(false), sendEveryMs);
    const away = () => send(true);
    window.addEventListener('pagehide', away);
    return () => {
      window.clearInterval(tick);
      window.clearInterval(beat);
      window.removeEventListener('pagehide', away);
      send(true);
    };
  }, [runId, enabled]);

  return {
    takeUnsent: () => {
      const value = Math.round(unsent.current);
      unsent.current = 0;
      closed.current = true;
      return value;
    },
    /** The decision did not go through: the item is still open, its time too. */
    giveBack: (ms: number) => {
      closed.current = false;
      unsent.current += ms;
    },
  };
}
