import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChangedTable, SseEventMap } from '../../../src/server/api-types.ts';

type ChangeListener = (change: SseEventMap['change']) => void;

/** Every table: what listeners hear after the stream reconnects, since changes may have been missed. */
const allTables: ChangedTable[] = ['runs', 'iterations', 'tasks', 'review', 'usage', 'bench', 'workflows'];

const listeners = new Set<ChangeListener>();
const statusListeners = new Set<(connected: boolean) => void>();
let source: EventSource | null = null;
let connected = false;
let helloSeen = false;

function setConnected(value: boolean): void {
  if (connected === value) return;
  connected = value;
  for (const listener of statusListeners) listener(value);
}

function broadcast(change: SseEventMap['change']): void {
  for (const listener of listeners) listener(change);
}

/** One EventSource for the whole page: the server pushes, the browser never polls. */
function ensureStream(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.addEventListener('hello', () => {
    setConnected(true);
    // A second hello is a reconnect: whatever changed meanwhile was not heard, so refetch everything.
    if (helloSeen) broadcast({ tables: allTables, runIds: [] });
    helloSeen = true;
  });
  source.addEventListener('change', (event) => {
    broadcast(JSON.parse((event as MessageEvent<string>).data) as SseEventMap['change']);
  });
  source.addEventListener('error', () => setConnected(false));
}

export function onChange(listener: ChangeListener): () => void {
  ensureStream();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveConnected(): boolean {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    ensureStream();
    statusListeners.add(setValue);
    setValue(connected);
    return () => {
      statusListeners.delete(setValue);
    };
  }, []);
  return value;
}

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** Fetch again now (after a decision, say). */
  reload: () => void;
}

/**
 * Fetch `path`, and fetch it again whenever the live stream names one of `tables` (and, with `runId`,
 * that run). The previous data stays on screen while a new answer is on its way: nothing jumps.
 */
export function useResource<T>(
  path: string | null,
  tables: ChangedTable[],
  options: { runId?: string } = {},
): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data: T | undefined; error: unknown }>({
    path,
    data: undefined,
    error: undefined,
  });
  const inFlight = useRef(false);
  const again = useRef(false);
  const current = useRef(path);
  current.current = path;

  const load = useRef<() => void>(() => {});
  load.current = () => {
    const wanted = current.current;
    if (wanted === null) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    fetch(wanted, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (response) => {
        const body = await response.json().catch(() => null);
        if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
        return body as T;
      })
      .then(
        (data) => {
          if (current.current === wanted) setState({ path: wanted, data, error: undefined });
        },
        (error: unknown) => {
          if (current.current === wanted)
            setState((old) => ({ path: wanted, data: old.path === wanted ? old.data : undefined, error }));
        },
      )
      .finally(() => {
        inFlight.current = false;
        if (again.current || current.current !== wanted) {
          again.current = false;
          load.current();
        }
      });
  };

  useEffect(() => {
    load.current();
  }, [path]);

  const tableKey = tables.join(',');
  useEffect(() => {
    const wanted = new Set(tableKey.split(','));
    return onChange((change) => {
      if (!change.tables.some((table) => wanted.has(table))) return;
      if (options.runId && change.runIds.length > 0 && !change.runIds.includes(options.runId)) return;
      load.current();
    });
  }, [tableKey, options.runId]);

  const samePath = state.path === path;
  return {
    data: samePath ? state.data : undefined,
    error: samePath ? state.error : undefined,
    reload: () => load.current(),
  };
}
