import jsonata from 'jsonata';
import type { MetricConfig } from '../../config/bench-schema.ts';

/** A number read from one run's output, or what stood in the way. */
export type MetricReading = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Read one metric from a run: the JSONata path into the last JSON document of the output, the first
 * capture group of the regex's first match, or (neither) the run's wall time in milliseconds.
 */
export async function readMetric(metric: MetricConfig, output: string, wallTimeMs: number): Promise<MetricReading> {
  if (metric.json !== undefined) return readJsonMetric(metric.json, output);
  if (metric.regex !== undefined) return readRegexMetric(metric.regex, output);
  return { ok: true, value: wallTimeMs };
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

/**
 * The last JSON object or array the output holds on lines of its own (a one-line document, or a
 * pretty-printed one starting at the beginning of a line), with its text; undefined when none.
 */
export function lastJsonDocument(output: string): { value: unknown; text: string } | undefined {
  let found: { value: unknown; text: string } | undefined;
  const lineStart = /^[ \t]*[{[]/gm;
  for (let match = lineStart.exec(output); match !== null; match = lineStart.exec(output)) {
    const start = match.index + match[0].length - 1;
    const end = balancedEnd(output, start);
    if (end === undefined) continue;
    const text = output.slice(start, end);
    try {
      found = { value: JSON.parse(text), text };
      // Skip the document's inside: a nested object on a line of its own is not a document.
      lineStart.lastIndex = end;
    } catch {
      // A log line that starts with "[" (`[info] ...`): not JSON, keep looking.
    }
  }
  return found;
}

/** Index just past the bracket that closes the one at `start`, skipping strings; undefined if never closed. */
function balancedEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return undefined;
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
