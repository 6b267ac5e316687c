import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lastJsonDocument } from '../last-json-document.ts';

/** The JSON an invariant is checked against, or why there is none (in a few words, and in a sentence). */
export type InvariantJson = { ok: true; value: unknown } | { ok: false; reason: string; message: string };

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
