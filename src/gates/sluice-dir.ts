import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Create `.sluice/` under the config folder; it holds logs, reports and the cache, never anything to
 * commit, so it carries its own `.gitignore` and the user's repository stays clean without editing theirs.
 */
export async function ensureSluiceDir(root: string): Promise<string> {
  const dir = join(root, '.sluice');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), '# Written by Sluice: logs, reports and cache are not for git.\n*\n', {
    flag: 'wx',
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return dir;
}
