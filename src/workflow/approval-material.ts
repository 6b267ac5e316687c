import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runGit } from '../workspace/git.ts';
import type { ShowDefinition } from './workflow-schema.ts';

/** Most characters of a file or diff shown at an approval; the rest is named, not printed. */
const maxShownChars = 20_000;

/**
 * What a human approves, as text: a file (a plan), a report (a run's evidence) or a diff, with its
 * strings already resolved. What cannot be read is said, never hidden.
 */
export async function approvalMaterial(repoRoot: string, show: ShowDefinition | undefined): Promise<string> {
  if (!show) return '';
  if ('diff' in show) {
    // A value from a step's outputs must not become an option of git (`--output=...`).
    if (show.diff.startsWith('-')) return `not a revision range: ${show.diff}`;
    const result = await runGit(repoRoot, ['diff', '--stat', '--patch', '--no-color', show.diff, '--']);
    if (result.exitCode !== 0) return `cannot show the diff ${show.diff}: ${result.stderr.trim()}`;
    return clip(`diff ${show.diff}:\n${result.stdout}`);
  }
  const path = 'file' in show ? show.file : show.report;
  const absolute = resolve(repoRoot, path);
  try {
    return clip(`${'file' in show ? 'file' : 'report'} ${path}:\n${await readFile(absolute, 'utf8')}`);
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
}

function clip(text: string): string {
  return text.length > maxShownChars
    ? `${text.slice(0, maxShownChars)}\n… (${text.length - maxShownChars} more characters)`
    : text;
}
