import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { MachineLoad } from './bench-types.ts';

/** Over this share of stolen CPU time, a hypervisor is taking cycles the runs were timed with. */
const stealLimit = 0.05;
/** Over this share of all cores busy just before the runs, other work competes with them. */
const busyLimit = 0.75;
const sampleMs = 250;

interface CpuTicks {
  total: number;
  idle: number;
  steal: number;
}

/**
 * How loaded the machine is as a bench gate starts: the one-minute load average against the cores,
 * and — over a short sample of /proc/stat — the share of CPU time that was busy or stolen. A loaded
 * machine makes every timing noisier (and wall time slower), so the result says so.
 */
export async function sampleMachineLoad(): Promise<MachineLoad> {
  const cores = availableParallelism();
  const loadAverage = loadavg()[0] ?? 0;
  const before = await readCpuTicks();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = await readCpuTicks();
  const reasons: string[] = [];
  if (loadAverage > cores) reasons.push(`load average ${loadAverage.toFixed(2)} above its ${cores} cores`);
  let steal: number | undefined;
  if (before && after && after.total > before.total) {
    const total = after.total - before.total;
    steal = (after.steal - before.steal) / total;
    const busy = 1 - (after.idle - before.idle) / total;
    if (steal > stealLimit) reasons.push(`${percent(steal)} of CPU time stolen by the hypervisor`);
    if (busy > busyLimit) reasons.push(`${percent(busy)} of its ${cores} cores busy before the runs`);
  }
  return {
    loadAverage,
    cores,
    ...(steal === undefined ? {} : { steal }),
    loaded: reasons.length > 0,
    ...(reasons.length > 0
      ? { note: `the machine is loaded (${reasons.join('; ')}): timings are noisier, wall time most of all` }
      : {}),
  };
}

/** The `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal ...; undefined off Linux. */
async function readCpuTicks(): Promise<CpuTicks | undefined> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const line = text?.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((value) => !Number.isFinite(value))) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
