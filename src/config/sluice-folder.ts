import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, parse, sep } from 'node:path';

export const sluiceFolderName = '.sluice';

// Workflow files (`.sluice/workflows/`) are the user's, to commit like CI files; the rest is Sluice's.
const gitignoreText =
  '# Written by Sluice: logs, reports, cache, the run store and transcripts are not for git;\n' +
  '# workflow files are.\n*\n!workflows/\n!workflows/**\n';
/** What earlier versions wrote: ignored workflow files too, so it is brought up to date. */
const earlierGitignoreText =
  '# Written by Sluice: logs, reports, cache, the run store and transcripts are not for git.\n*\n';

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
  const path = join(sluiceFolder, '.gitignore');
  try {
    writeFileSync(path, gitignoreText, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (readIfSmall(path) === earlierGitignoreText) writeFileSync(path, gitignoreText);
  }
}

function readIfSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
