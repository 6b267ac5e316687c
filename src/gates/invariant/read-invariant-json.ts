import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The JSON an invariant is checked against, or why there is none (in a few words, and in a sentence). */
export type InvariantJson = { ok: true; value: unknown } | { ok: false; reason: string; message: string };

// Bounds the search in an output full of lines that open a bracket and never close it.
const maxScannedCharacters = 20_000_000;
const maxQuoted = 100;

/** Reads `from` (relative to cwd) when given, else the last JSON document the command printed. */
export async function readInvariantJson(
  from: string | undefined,
  input: { logFile: string; cwd: string },
): Promise<InvariantJson> {
  if (from !== undefined) {
    const text = await readText(resolve(input.cwd, from));
    if (typeof text !== 'string') {
      const why = text.missing ? 'does not exist' : `cannot be read (${text.error})`;
      return {
        ok: false,
        reason: `${from} ${text.missing ? 'was not written' : 'cannot be read'}`,
        message: `no JSON to check: ${from} ${why}`,
      };
    }
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
      return {
        ok: false,
        reason: `${from} is not valid JSON`,
        message: `no JSON to check: ${from} is not valid JSON (${why}); ${describeStart(text)}`,
      };
    }
  }
  const text = await readText(input.logFile);
  if (typeof text !== 'string') {
    return { ok: false, reason: 'no output', message: 'no JSON to check: the output of the command is missing' };
  }
  const document = lastJsonDocument(text);
  if (document) return { ok: true, value: document.value };
  return {
    ok: false,
    reason: 'no JSON in the output',
    message: `no JSON to check: the command printed no JSON object or array; ${describeStart(text)}`,
  };
}

/**
 * The last complete JSON object or array that starts a line of `text`, read from its first line to its
 * closing bracket. Documents at the start of a line are preferred to indented ones, which are usually
 * the inside of a pretty-printed document.
 */
export function lastJsonDocument(text: string): { value: unknown } | undefined {
  const flush: number[] = [];
  const indented: number[] = [];
  for (const match of text.matchAll(/^([ \t]*)[{[]/gm)) {
    (match[1] === '' ? flush : indented).push(match.index + (match[1]?.length ?? 0));
  }
  let budget = maxScannedCharacters;
  for (const starts of [flush, indented]) {
    for (const start of starts.reverse()) {
      const stop = Math.min(text.length, start + budget);
      const end = closingIndex(text, start, stop);
      budget -= (end ?? stop) - start;
      if (end !== undefined) {
        try {
          return { value: JSON.parse(text.slice(start, end)) };
        } catch {
          // A line like `[INFO] ready` or `{ not json }`: try the one before it.
        }
      }
      if (budget <= 0) return undefined;
    }
  }
  return undefined;
}

/** The index after the bracket that closes the one at `start` (before `stop`), skipping brackets inside strings. */
function closingIndex(text: string, start: number, stop: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < stop; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
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

function describeStart(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const first = lines[0];
  if (first === undefined) return 'it is empty';
  const quoted = first.length > maxQuoted ? `${first.slice(0, maxQuoted - 1)}…` : first;
  return lines.length === 1 ? `it is one line: "${quoted}"` : `it has ${lines.length} lines, the first: "${quoted}"`;
}

async function readText(path: string): Promise<string | { missing: boolean; error: string }> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { missing: code === 'ENOENT', error: code ?? String(error) };
  }
}
