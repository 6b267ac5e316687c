import { readFile } from 'node:fs/promises';
import { textLines } from '../reports/text-lines.ts';

/** One line of a log, numbered from 1 as an editor shows it. */
export interface LogLine {
  number: number;
  text: string;
}

/** The lines of a log, or why there are none. */
export type LogRead = { ok: true; lines: LogLine[] } | { ok: false; missing: boolean; error: string };

/** The lines of a log file without colour codes; a missing or unreadable file says which. */
export async function readLogLines(path: string): Promise<LogRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', error: code ?? String(error) };
  }
  // Colour codes would split `ERROR` from its neighbours and hide it from a plain-text pattern.
  const lines = textLines(text);
  if (lines.at(-1) === '') lines.pop();
  return { ok: true, lines: lines.map((line, index) => ({ number: index + 1, text: line })) };
}
