import { mkdirSync, writeFileSync } from 'node:fs';
import { join, parse, sep } from 'node:path';

export const sluiceFolderName = '.sluice';

const gitignoreText = '# Written by Sluice: logs, reports, cache, the run store and transcripts are not for git.\n*\n';

/**
 * `mkdir -p dir`, and when `dir` is inside a `.sluice/` folder, make sure that folder ignores itself
 * (its own `.gitignore` with `*`). Whichever command first creates `.sluice/` (a check, the run store
 * of `sluice run`, a hook, a transcript), a later `git add -A` never commits what Sluice keeps there.
 */
export function makeDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const segments = dir.slice(parse(dir).root.length).split(sep);
  const index = segments.indexOf(sluiceFolderName);
  if (index < 0) return;
  const sluiceFolder = join(parse(dir).root, ...segments.slice(0, index + 1));
  try {
    writeFileSync(join(sluiceFolder, '.gitignore'), gitignoreText, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
