import type { GateConfig } from '../config/schema.ts';
import { UsageError } from '../errors.ts';

/** The gates to run: all of them, or the named ones plus every gate they need (transitively). */
export function selectGates(gates: Record<string, GateConfig>, only: string[] = []): Map<string, GateConfig> {
  const all = Object.entries(gates);
  if (only.length === 0) return new Map(all);
  const unknown = only.filter((name) => !Object.hasOwn(gates, name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown gate ${unknown.map((name) => `"${name}"`).join(', ')}; gates: ${Object.keys(gates).join(', ')}`,
    );
  }
  // A worklist, not recursion: a long chain of needs must not overflow the call stack.
  const wanted = new Set<string>(only);
  const toVisit = [...wanted];
  for (let name = toVisit.pop(); name !== undefined; name = toVisit.pop()) {
    for (const needed of gates[name]?.needs ?? []) {
      if (wanted.has(needed)) continue;
      wanted.add(needed);
      toVisit.push(needed);
    }
  }
  return new Map(all.filter(([name]) => wanted.has(name)));
}
