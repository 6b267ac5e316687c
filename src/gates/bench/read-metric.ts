import jsonata from 'jsonata';
import type { MetricConfig } from '../../config/bench-schema.ts';
import { lastJsonDocument } from '../last-json-document.ts';

/** A number read from one run's output, or what stood in the way. */
export type MetricReading = { ok: true; value: number } | { ok: false; problem: string };

/** How long a run took: wall time, CPU time (user + system) and instructions executed when they were measured. */
export interface RunTimes {
  wallMs: number;
  cpu?: { ok: true; ms: number } | { ok: false; problem: string };
  instructions?: { ok: true; count: number } | { ok: false; problem: string };
}

/**
 * Read one metric from a run: the JSONata path into the last JSON document of the output, the first
 * capture group of the regex's first match, or (neither) the run's wall time — or, with `time: cpu`,
 * its CPU time — in milliseconds, or with `time: instructions` the instructions its process tree executed.
 */
export async function readMetric(metric: MetricConfig, output: string, times: RunTimes): Promise<MetricReading> {
  if (metric.json !== undefined) return readJsonMetric(metric.json, output);
  if (metric.regex !== undefined) return readRegexMetric(metric.regex, output);
  if (metric.time === 'instructions') {
    if (!times.instructions) return { ok: false, problem: 'the instructions of the run were not counted' };
    return times.instructions.ok ? { ok: true, value: times.instructions.count } : times.instructions;
  }
  if (metric.time === 'cpu') {
    if (!times.cpu) return { ok: false, problem: 'the CPU time of the run was not measured' };
    return times.cpu.ok ? { ok: true, value: times.cpu.ms } : times.cpu;
  }
  return { ok: true, value: times.wallMs };
}

/** Whether any metric needs the run's CPU time. */
export function wantsCpuTime(metrics: Record<string, MetricConfig>): boolean {
  return Object.values(metrics).some((metric) => metric.time === 'cpu' && !metric.json && !metric.regex);
}

/** The first metric that counts the run's instructions (so every run goes under valgrind), if any. */
export function countsInstructions(metrics: Record<string, MetricConfig>): string | undefined {
  return Object.entries(metrics).find(
    ([, metric]) => metric.time === 'instructions' && metric.json === undefined && metric.regex === undefined,
  )?.[0];
}

async function readJsonMetric(path: string, output: string): Promise<MetricReading> {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(path);
  } catch (error) {
    return { ok: false, problem: `\`${path}\` is not a JSONata expression: ${errorMessage(error)}` };
  }
  const document = lastJsonDocument(output);
  if (document === undefined) return { ok: false, problem: 'the output holds no JSON document' };
  let value: unknown;
  try {
    value = await expression.evaluate(document.value);
  } catch (error) {
    return { ok: false, problem: `\`${path}\` failed on the last JSON document: ${errorMessage(error)}` };
  }
  if (value === undefined) return { ok: false, problem: `\`${path}\` is missing from ${preview(document.text)}` };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
  if (Array.isArray(value)) {
    return { ok: false, problem: `\`${path}\` gives ${value.length} values, not one (pick one, or use $max/$average)` };
  }
  return { ok: false, problem: `\`${path}\` is ${preview(JSON.stringify(value) ?? String(value))}, not a number` };
}

function readRegexMetric(source: string, output: string): MetricReading {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, 'm');
  } catch (error) {
    return { ok: false, problem: `/${source}/ is not a regular expression: ${errorMessage(error)}` };
  }
  const match = pattern.exec(output);
  if (!match) return { ok: false, problem: `/${source}/ matches nothing in the output` };
  const captured = (match.length > 1 ? match[1] : match[0])?.trim() ?? '';
  const value = captured === '' ? Number.NaN : Number(captured);
  if (!Number.isFinite(value))
    return { ok: false, problem: `/${source}/ captured "${preview(captured)}", not a number` };
  return { ok: true, value };
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

// JSONata throws plain objects with a `message`, not Errors.
function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
