import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { runGit } from './git.ts';

/**
 * Git never checks, when it reads an object, that the content still hashes to its name. An agent that can
 * write the object store (it must, to commit) could rewrite the loose object of a file it did not change —
 * a test at the base — and every checkout, diff and guard would then read the forged content under the
 * old id. Objects are written once and never changed, so only files written since `sinceMs` need a look:
 * each such loose object must hash to its name, and each such pack must verify.
 * Returns what does not hold, in words; empty when everything does.
 */
export async function verifyObjectsWrittenSince(commonDir: string, sinceMs: number): Promise<string[]> {
  const objects = join(commonDir, 'objects');
  const problems: string[] = [];
  const folders = (await readdir(objects).catch(() => [] as string[])).filter((name) => /^[0-9a-f]{2}$/.test(name));
  await Promise.all(
    folders.map(async (folder) => {
      const names = await readdir(join(objects, folder)).catch(() => [] as string[]);
      for (const name of names) {
        const path = join(objects, folder, name);
        if (!(await writtenSince(path, sinceMs))) continue;
        const problem = await checkLooseObject(path, `${folder}${name}`);
        if (problem) problems.push(problem);
      }
    }),
  );
  // Alternates make git read objects from another store, where anything can be.
  if (await writtenSince(join(objects, 'info', 'alternates'), sinceMs)) {
    problems.push('objects/info/alternates was written: git would read objects from another store');
  }
  const packs = join(objects, 'pack');
  for (const name of await readdir(packs).catch(() => [] as string[])) {
    if (!name.endsWith('.idx')) continue;
    const idx = join(packs, name);
    const pack = idx.replace(/\.idx$/, '.pack');
    if (!(await writtenSince(idx, sinceMs)) && !(await writtenSince(pack, sinceMs))) continue;
    const verified = await runGit(commonDir, ['verify-pack', idx], { timeoutMs: 300_000 });
    if (verified.exitCode !== 0)
      problems.push(`git pack ${name} does not verify: ${verified.stderr.trim().split('\n')[0] ?? ''}`);
  }
  return problems.sort();
}

async function writtenSince(path: string, sinceMs: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  // ctime: a rewrite, a rename over it or a chmod moves it, and no process can set it back.
  return info !== undefined && info.ctimeMs >= sinceMs;
}

async function checkLooseObject(path: string, id: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{40}$/.test(id)) return undefined; // a temp file of git's own, or a SHA-256 repository
  try {
    const content = inflateSync(await readFile(path));
    const actual = createHash('sha1').update(content).digest('hex');
    return actual === id ? undefined : `git object ${id} was rewritten: its content hashes to ${actual}`;
  } catch (error) {
    return `git object ${id} cannot be read: ${(error as Error).message}`;
  }
}
