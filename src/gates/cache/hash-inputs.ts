import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { createGitignoreFilter } from './gitignore-filter.ts';

const alwaysIgnored = ['.git/**', '.sluice/**'];

// Gates often share inputs (src/**): within one process a file is read once unless its stat changes,
// which a gate that rewrites it (a build writing dist/) does.
const hashedFiles = new Map<string, { stamp: string; hash: string }>();

async function hashFile(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    const stamp = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    const known = hashedFiles.get(path);
    if (known?.stamp === stamp) return known.hash;
    const hash = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    hashedFiles.set(path, { stamp, hash });
    return hash;
  } catch {
    return 'unreadable';
  }
}

/**
 * One hash over the names and contents of every file the globs match (sorted, so order-free).
 * `.git/`, `.sluice/`, `node_modules/` (unless named) and gitignored files are not inputs.
 */
export async function hashInputs(root: string, patterns: string[]): Promise<{ hash: string; fileCount: number }> {
  const mentionsNodeModules = patterns.some((pattern) => pattern.includes('node_modules'));
  const matched = await glob(patterns, {
    cwd: root,
    dot: true,
    onlyFiles: true,
    ignore: mentionsNodeModules ? alwaysIgnored : [...alwaysIgnored, '**/node_modules/**'],
  });
  const keep = await createGitignoreFilter(root, patterns);
  const files = matched.filter(keep).sort();
  const contentHashes = await Promise.all(files.map((file) => hashFile(join(root, file))));
  const combined = createHash('sha256');
  files.forEach((file, index) => {
    combined.update(`${file}\0${contentHashes[index]}\n`);
  });
  return { hash: combined.digest('hex'), fileCount: files.length };
}
