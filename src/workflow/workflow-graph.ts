import { ConfigError } from '../errors.ts';

type Steps = Record<string, { needs: string[] }>;

/**
 * The order steps run in: each after everything it needs, otherwise in the file's order. A cycle in
 * `needs` is refused with the cycle named (a -> b -> a), since no order could honour it.
 */
export function stepOrder(steps: Steps, file: string): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new ConfigError(`invalid workflow ${file}\nsteps form a cycle through needs: ${cycle.join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const needed of steps[id]?.needs ?? []) visit(needed, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(steps)) visit(id, []);
  return order;
}

/** Every step `id` waits for, directly or through others. */
export function transitiveNeeds(steps: Steps, id: string): Set<string> {
  const found = new Set<string>();
  // A worklist, not recursion: a long chain of needs must not overflow the call stack.
  const toVisit = [id];
  for (let step = toVisit.pop(); step !== undefined; step = toVisit.pop()) {
    for (const needed of steps[step]?.needs ?? []) {
      if (found.has(needed)) continue;
      found.add(needed);
      toVisit.push(needed);
    }
  }
  return found;
}
