import { lstat, mkdir, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { runGit } from '../workspace/git.ts';

/** Folders of installed dependencies that a judge checkout may borrow from the user's own checkout. */
const dependencyFolders = new Set(['node_modules', '.venv', 'venv', 'vendor']);

/**
 * Where `setup:` says nothing, the judge checkout uses the dependencies installed in the user's own
 * checkout (trusted), never the agent's: each ignored dependency folder of the user's checkout is linked
 * at the same place. Returns the linked paths, relative to the checkout roots.
 */
export async function borrowDependencies(userCheckout: string, judgeCheckout: string): Promise<string[]> {
  return linkBorrowed(userCheckout, judgeCheckout, await borrowableFolders(userCheckout));
}

/**
 * The ignored dependency folders of the user's checkout. It asks only the user's checkout, so it may run
 * while the judge checkout is being reset; `linkBorrowed` then links them into the clean checkout.
 */
export async function borrowableFolders(userCheckout: string): Promise<string[]> {
  // --directory stops at an ignored folder: node_modules is listed once, not its 100k files.
  const listing = await runGit(userCheckout, [
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
  ]);
  if (listing.exitCode !== 0) return [];
  return listing.stdout
    .split('\0')
    .filter((entry) => entry.endsWith('/'))
    .map((entry) => entry.slice(0, -1))
    .filter((entry) => dependencyFolders.has(basename(entry)));
}

/** Link each of `folders` (from `borrowableFolders`) into the judge checkout; returns those linked. */
export async function linkBorrowed(userCheckout: string, judgeCheckout: string, folders: string[]): Promise<string[]> {
  const linked: string[] = [];
  for (const folder of folders) {
    const target = join(judgeCheckout, folder);
    // Never over something the commit itself holds (a committed vendor/ folder).
    if (
      await lstat(target).then(
        () => true,
        () => false,
      )
    )
      continue;
    await mkdir(dirname(target), { recursive: true });
    await symlink(join(userCheckout, folder), target);
    linked.push(folder);
  }
  return linked;
}
