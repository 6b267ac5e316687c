import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';

const alwaysIgnored = ['.git/**', '.sluice/**'];

/** One hash over the names and contents of every file the globs match (sorted, so order-free). */
export async function hashInputs(root: string, patterns: string[]): Promise<{ hash: string; fileCount: number }> {
  const mentionsNodeModules = patterns.some((pattern) => pattern.includes('node_modules'));
  const files = await glob(patterns, {
    cwd: root,
    dot: true,
    onlyFiles: true,
    ignore: mentionsNodeModules ? alwaysIgnored : [...alwaysIgnored, '**/node_modules/**'],
  });
  files.sort();
  const contentHashes = await Promise.all(
    files.map(async (file) => {
      try {
        return createHash('sha256')
          .update(await readFile(join(root, file)))
          .digest('hex');
      } catch {
        return 'unreadable';
      }
    }),
  );
  const combined = createHash('sha256');
  files.forEach((file, index) => {
    combined.update(`${file}\0${contentHashes[index]}\n`);
  });
  return { hash: combined.digest('hex'), fileCount: files.length };
}
