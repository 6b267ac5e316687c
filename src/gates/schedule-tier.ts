import { availableParallelism } from 'node:os';
import type { GateConfig } from '../config/schema.ts';
import { type GateResult, isGatePass } from './gate-results.ts';
import { SpareCapacity } from './spare-capacity.ts';

export interface TierSchedule {
  /** The tier's gates, in config order (the order ready gates start in). */
  gates: Array<[string, GateConfig]>;
  /** Every gate of the check: a `needs` outside it is not waited for. */
  selected: ReadonlyMap<string, GateConfig>;
  /** Results so far (lower tiers, and this tier's as they finish). */
  results: ReadonlyMap<string, GateResult>;
  /** A fixed number of gates at once; undefined: one per core, more while they wait (see SpareCapacity). */
  concurrency: number | undefined;
  /** The process ids of the gates running now. */
  runningProcesses(): number[];
  signal?: AbortSignal;
  run(name: string, gate: GateConfig): Promise<GateResult>;
  /** Record a result (a gate's own, or a skip); `results` has it afterwards. */
  finish(result: GateResult): void;
  skip(name: string, gate: GateConfig, reason: string): GateResult;
}

/** How often the default concurrency looks for spare capacity while ready gates wait. */
const idleCheckMs = 40;

/**
 * Run one tier's gates as parallel as `needs` and the concurrency allow, in time linear in the
 * gates and their needs: each gate counts the needs it still waits for and starts when that is 0.
 * A benchmark measures alone: nothing else runs beside it.
 */
export function scheduleTier(tier: TierSchedule): Promise<void> {
  return new Promise<void>((resolveTier) => {
    const cores = availableParallelism();
    const base = tier.concurrency ?? cores;
    const most = tier.concurrency ?? Math.max(4, cores * 4);
    // Only looked at while ready gates wait behind the allowance, which never happens with no more gates
    // than the base allowance: then its first reading of the cores (os.cpus, not free) is not taken either.
    const spare = tier.concurrency === undefined && tier.gates.length > base ? new SpareCapacity() : undefined;
    const waitingFor = new Map<string, number>();
    const dependents = new Map<string, string[]>();
    const inTier = new Map(tier.gates);
    const ready: string[] = [];
    let nextReady = 0;
    const readyBench: string[] = [];
    let running = 0;
    let benchRunning = false;
    let allowance = base;
    let timer: NodeJS.Timeout | undefined;
    let left = tier.gates.length;

    const becameReady = (name: string) => {
      if (inTier.get(name)?.bench) readyBench.push(name);
      else ready.push(name);
    };
    for (const [name, gate] of tier.gates) {
      const open = gate.needs.filter((needed) => inTier.has(needed) && tier.selected.has(needed));
      waitingFor.set(name, open.length);
      for (const needed of open) {
        const list = dependents.get(needed);
        if (list) list.push(name);
        else dependents.set(needed, [name]);
      }
      if (open.length === 0) becameReady(name);
    }

    const done = (result: GateResult) => {
      tier.finish(result);
      left--;
      for (const dependent of dependents.get(result.name) ?? []) {
        const count = (waitingFor.get(dependent) ?? 1) - 1;
        waitingFor.set(dependent, count);
        if (count === 0) becameReady(dependent);
      }
    };

    const take = (): string | undefined => {
      if (benchRunning) return undefined;
      if (nextReady < ready.length) return ready[nextReady++];
      return running === 0 ? readyBench.shift() : undefined;
    };
    const waiting = () => nextReady < ready.length || readyBench.length > 0;

    const schedule = () => {
      for (;;) {
        if (running >= allowance && waiting()) break;
        const name = take();
        if (name === undefined) break;
        const gate = inTier.get(name) as GateConfig;
        const failedNeed = gate.needs
          .filter((needed) => tier.selected.has(needed))
          .find((needed) => !isGatePass(tier.results.get(needed)?.status ?? 'failed'));
        if (failedNeed || tier.signal?.aborted) {
          done(tier.skip(name, gate, failedNeed ? `needs "${failedNeed}", which did not pass` : 'cancelled'));
          continue;
        }
        running++;
        if (gate.bench) benchRunning = true;
        void tier.run(name, gate).then((result) => {
          running--;
          if (gate.bench) benchRunning = false;
          // Back to one gate per core; spare capacity earns more again at the next look.
          allowance = Math.max(base, Math.min(allowance, running + 1));
          done(result);
          schedule();
        });
      }
      if (left === 0) {
        if (timer) clearTimeout(timer);
        resolveTier();
        return;
      }
      if (spare && !timer && !benchRunning && nextReady < ready.length && running >= allowance && allowance < most) {
        timer = setTimeout(() => {
          timer = undefined;
          const more = spare.sample(tier.runningProcesses());
          if (more >= 1) allowance = Math.min(most, running + more);
          schedule();
        }, idleCheckMs);
      }
    };
    schedule();
  });
}
