import { lstat, readFile, readlink } from 'node:fs/promises';
import { createHash } from '../../hashing.ts';

export type ObjectFormat = 'sha1' | 'sha256';

/**
 * `<mode> <id>` of a file on disk as git would record it — the blob id of its bytes (of its target's path for
 * a symlink), and 100755 / 100644 / 120000 — or undefined when there is no file there (deleted, a folder).
 * Hashed here rather than by `git hash-object`: the raw bytes, with no clean filter or line-ending
 * conversion applied, so a change those would hide still changes the id.
 */
export async function blobMaterial(path: string, format: ObjectFormat): Promise<string | undefined> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch {
    return undefined;
  }
  try {
    if (info.isSymbolicLink()) return `120000 ${blobId(await readlink(path, { encoding: 'buffer' }), format)}`;
    if (!info.isFile()) return undefined;
    // git records the owner's execute bit, nothing else of the permissions.
    const mode = info.mode & 0o100 ? '100755' : '100644';
    return `${mode} ${blobId(await readFile(path), format)}`;
  } catch {
    // There a moment ago, gone or unreadable now: still part of the key, as such.
    return 'unreadable';
  }
}

export function blobId(content: Buffer, format: ObjectFormat): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest('hex');
}
