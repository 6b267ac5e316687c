import { runGitChecked } from '../workspace/git.ts';

/**
 * What the checkout holds besides its tracked files — untracked and ignored, folders collapsed to their
 * top (`node_modules`, not its 100k files) — relative to the checkout, `.sluice/` folders left out.
 */
export async function untrackedPaths(checkoutPath: string): Promise<string[]> {
  const status = await runGitChecked(checkoutPath, [
    'status',
    '--porcelain',
    '-z',
    '--untracked-files=normal',
    '--ignored',
  ]);
  return status
    .split('\0')
    .filter((entry) => entry.startsWith('!! ') || entry.startsWith('?? '))
    .map((entry) => entry.slice(3).replace(/\/$/, ''))
    .filter((entry) => entry !== '' && entry !== '.sluice' && !entry.endsWith('/.sluice'));
}
