import { runGitChecked } from '../workspace/git.ts';
import { readFilesAtRef } from '../workspace/refs.ts';
import type { ChangedFile } from './changed-files.ts';

/**
 * The contents at `baseCommit` of the files `wanted` accepts that the change left alone, in the folders that
 * hold a changed file and the folders above them (where the configs that name a file sit), and `moreFolders`
 * (each `dir/`, its files only). Listing only
 * those keeps the cost to the change's size, not the repository's. Read from the base commit, never from the
 * working tree, where index bits could hide a change from the diff.
 */
export async function unchangedFilesAtBase(
  repoRoot: string,
  baseCommit: string,
  changed: readonly ChangedFile[],
  wanted: (path: string) => boolean,
  moreFolders: readonly string[] = [],
): Promise<Map<string, string>> {
  const changedPaths = new Set(changed.map((file) => file.path));
  const folders = new Set(['./', ...moreFolders]);
  for (const { path } of changed) {
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      folders.add(path.slice(0, slash + 1));
    }
  }
  const listing = await runGitChecked(repoRoot, ['--literal-pathspecs', 'ls-tree', '-z', baseCommit, '--', ...folders]);
  const paths = listing.split('\0').flatMap((entry) => {
    const tab = entry.indexOf('\t');
    const path = entry.slice(tab + 1);
    const isFile = / blob /.test(entry.slice(0, tab));
    return tab !== -1 && isFile && !changedPaths.has(path) && wanted(path) ? [path] : [];
  });
  return readFilesAtRef(repoRoot, baseCommit, paths);
}

/** Every file at `baseCommit` that `isTest` takes for a test file, changed or not: one `ls-tree` of the whole tree. */
export async function testFilesAtBase(
  repoRoot: string,
  baseCommit: string,
  isTest: (path: string) => boolean,
): Promise<string[]> {
  const listing = await runGitChecked(repoRoot, ['ls-tree', '-r', '-z', '--name-only', baseCommit]);
  return listing.split('\0').filter((path) => path !== '' && isTest(path));
}
