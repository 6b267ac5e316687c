import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `sluice serve` leaves for the CLI beside the store: where it listens and its token. */
export interface ServeFile {
  url: string;
  host: string;
  port: number;
  token: string;
  pid: number;
  startedAt: string;
}

/** 32 random bytes, URL-safe: the secret every changing request must carry. */
export function newServeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compare in constant time, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `.sluice/serve.json` in the config folder. */
export function serveFilePath(configFolder: string): string {
  return join(configFolder, '.sluice', 'serve.json');
}

/** Write the serve file readable by its owner only (0600), replacing an older one. */
export async function writeServeFile(configFolder: string, file: ServeFile): Promise<string> {
  const path = serveFilePath(configFolder);
  await mkdir(join(configFolder, '.sluice'), { recursive: true });
  // Removed first: an existing file keeps its mode on overwrite, and a link there must not be followed.
  await rm(path, { force: true });
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return path;
}

/** Remove the serve file if this process wrote it (another `sluice serve` may own it now). */
export async function removeServeFile(configFolder: string, pid: number = process.pid): Promise<void> {
  const path = serveFilePath(configFolder);
  const owner = await readFile(path, 'utf8')
    .then((text) => (JSON.parse(text) as Partial<ServeFile>).pid)
    .catch(() => undefined);
  if (owner === pid) await rm(path, { force: true });
}
