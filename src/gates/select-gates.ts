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
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const needed of gates[name]?.needs ?? []) add(needed);
  };
  for (const name of only) add(name);
  return new Map(all.filter(([name]) => wanted.has(name)));
}
