import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStamp } from '../build-stamp.ts';
import { ConfigError } from '../errors.ts';
import { createHash } from '../hashing.ts';
import type { SluiceConfig } from './schema.ts';

// Finding and loading sluice.yaml without loading the YAML parser or the schema: those cost more
// than the rest of a cached `sluice check`, so a config this Sluice validated before is read back
// from a cache keyed by the file's bytes and by Sluice's own config code.

export { configFileNames, findConfigFile } from './find-config-file.ts';

export interface LoadedConfig {
  config: SluiceConfig;
  /** Absolute path of the file read. */
  path: string;
  /** Folder of the config file: gate cwd, inputs and `.sluice/` are relative to it. */
  root: string;
}

/** Read and validate a config file; every problem is reported as `file:line:column: what was expected`. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { config: await validConfig(text, absolute), path: absolute, root: dirname(absolute) };
}

/**
 * The validated config of `text`: from the cache when this Sluice validated the same bytes before,
 * else parsed (errors thrown as always) and remembered. Only valid configs are cached.
 */
export async function validConfig(text: string, fileLabel: string): Promise<SluiceConfig> {
  const file = cacheFile(text);
  const cached = file ? readCached(file) : undefined;
  if (cached) return cached;
  const { parseConfigText } = await import('./load-config.ts');
  const config = parseConfigText(text, fileLabel);
  if (file) writeCached(file, config);
  return config;
}

/**
 * The cache lives in the user's cache folder, not in the repository: an agent writes its worktree
 * (and only it, when sandboxed), and a config it could forge would be a judge it could talk round.
 */
function cacheFile(text: string): string | undefined {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  if (!base || process.env.SLUICE_CONFIG_CACHE === 'off') return undefined;
  const key = createHash('sha256').update(codeStamp()).update('\0').update(text).digest('hex');
  return join(base, 'sluice', 'config', `${key}.json`);
}

let stamp: string | undefined;

/**
 * What identifies this Sluice's config code: the bytes of the files of this folder (a rebuild
 * touches every file's time, so times would miss; reading these few files costs about a millisecond),
 * or in a bundled Sluice the hash of all its sources (build-stamp.ts).
 */
function codeStamp(): string {
  if (stamp !== undefined) return stamp;
  if (buildStamp !== undefined) {
    stamp = buildStamp;
    return stamp;
  }
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((entry) => /\.(js|ts)$/.test(entry))
    .sort()) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(dir, name)))
      .update('\0');
  }
  stamp = hash.digest('hex');
  return stamp;
}

function readCached(file: string): SluiceConfig | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { config?: SluiceConfig };
    return entry.config;
  } catch {
    return undefined;
  }
}

function writeCached(file: string, config: SluiceConfig): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ config }), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs the next call a parse.
  }
}
