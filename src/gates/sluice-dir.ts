import { join } from 'node:path';
import { makeDirSync, sluiceFolderName } from '../config/sluice-folder.ts';

/**
 * Create `.sluice/` under the config folder; it holds logs, reports and the cache, never anything to
 * commit, so it carries its own `.gitignore` and the user's repository stays clean without editing theirs.
 */
export async function ensureSluiceDir(root: string): Promise<string> {
  const dir = join(root, sluiceFolderName);
  makeDirSync(dir);
  return dir;
}
