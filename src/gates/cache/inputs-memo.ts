import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from '../../hashing.ts';
import type { IndexFacts } from './git-file-ids.ts';

/** Bump when what a memo key covers, or how an inputs hash is computed, changes: older memos then never match. */
const memoVersion = 1;
/** In the gate cache's folder; a gate's file is `<name>.json`, and no gate name starts with `_`. */
const memoFileName = '_inputs-memo.json';
/** Results kept: a few per gate input set, the latest last. */
const keptResults = 64;
/** Index facts kept (one per index seen lately), and the most paths one may hold (more: walked each time). */
const keptFacts = 4;
const factPathsAtMost = 2_000;

/** A remembered inputs hash. */
export interface MemoizedHash {
  hash: string;
  fileCount: number;
}

/** Everything an inputs hash computed from git is a function of (see `InputHasher`). */
export interface MemoKeyParts {
  /** sha256 of the index file's bytes, as read. */
  indexKey: string;
  prefix: string;
  objectFormat: string;
  patterns: readonly string[];
  /** The inputs (and .gitignore / .gitattributes files) git reported gone. */
  removed: readonly string[];
  /** Every file read from disk for the hash, and what was read (`undefined`: nothing there). */
  read: ReadonlyArray<readonly [string, string | undefined]>;
  /** Files of nested repositories, with their content hashes. */
  nested: ReadonlyArray<readonly [string, string]>;
}

/**
 * sha256 of the parts as one JSON text, the lists sorted: JSON quotes every string (a path may hold a newline),
 * so two different sets of parts never give the same text.
 */
export function memoKey(parts: MemoKeyParts): string {
  const byPath = <T extends readonly [string, unknown]>([a]: T, [b]: T) => (a < b ? -1 : a > b ? 1 : 0);
  const text = JSON.stringify([
    `sluice inputs memo ${memoVersion}`,
    parts.indexKey,
    parts.prefix,
    parts.objectFormat,
    parts.patterns,
    [...parts.removed].sort(),
    [...parts.read].sort(byPath).map(([path, material]) => [path, material ?? null]),
    [...parts.nested].sort(byPath),
  ]);
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Inputs hashes remembered between checks, in one small file next to the gate cache's entries, keyed by
 * `memoKey`. A key holds the index's own digest and what was read from disk, so a memo recorded for other
 * files never matches; a memo someone wrote to lie would have to sit in the cache folder, where a forged gate
 * entry does as much (a judge keeps that folder outside the tree it judges). Unreadable or malformed: empty.
 */
export class InputsMemo {
  readonly #path: string;
  #memo: Promise<{ results: Map<string, MemoizedHash>; facts: Map<string, IndexFacts> }> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #writes = 0;

  constructor(dir: string) {
    this.#path = join(dir, memoFileName);
  }

  async find(key: string): Promise<MemoizedHash | undefined> {
    this.#memo ??= this.#load();
    return (await this.#memo).results.get(key);
  }

  /** The paths of an index git does not compare, and its submodules, as a walk of it found them. */
  async findFacts(indexKey: string, prefix: string, format: string): Promise<IndexFacts | undefined> {
    this.#memo ??= this.#load();
    return (await this.#memo).facts.get(factsKey(indexKey, prefix, format));
  }

  /** Kept with the next `record` (facts go with a new index, and a new index with new results). */
  async rememberFacts(indexKey: string, prefix: string, format: string, facts: IndexFacts): Promise<void> {
    if (facts.uncompared.length + facts.trackedRepositories.length > factPathsAtMost) return;
    this.#memo ??= this.#load();
    const memo = await this.#memo;
    putLatest(memo.facts, factsKey(indexKey, prefix, format), facts, keptFacts);
  }

  /** Remember a result (and write the file, atomically; a failed write only loses the memo). */
  async record(key: string, result: MemoizedHash): Promise<void> {
    this.#memo ??= this.#load();
    const memo = await this.#memo;
    putLatest(memo.results, key, { hash: result.hash, fileCount: result.fileCount }, keptResults);
    const text = `${JSON.stringify({ version: memoVersion, facts: [...memo.facts], results: [...memo.results] })}\n`;
    // One write at a time, each of the whole memo: the last one holds every result.
    this.#writing = this.#writing.then(() => this.#write(text)).catch(() => {});
    await this.#writing;
  }

  async #write(text: string): Promise<void> {
    await mkdir(join(this.#path, '..'), { recursive: true });
    // `.<pid>.tmp` at the end: the gate cache sweeps what a killed process left.
    const temporary = `${this.#path}.${++this.#writes}.${process.pid}.tmp`;
    // A new file or nothing: a link planted under that name is never written through.
    await rm(temporary, { force: true });
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, this.#path);
  }

  async #load(): Promise<{ results: Map<string, MemoizedHash>; facts: Map<string, IndexFacts> }> {
    const loaded = { results: new Map<string, MemoizedHash>(), facts: new Map<string, IndexFacts>() };
    try {
      const memo = JSON.parse(await readFile(this.#path, 'utf8')) as Record<string, unknown>;
      if (memo.version !== memoVersion || !Array.isArray(memo.results) || !Array.isArray(memo.facts)) return loaded;
      for (const item of memo.results as unknown[]) {
        if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
        const value = item[1] as Partial<MemoizedHash> | undefined;
        if (typeof value?.hash !== 'string' || !/^[0-9a-f]{64}$/.test(value.hash)) continue;
        if (typeof value.fileCount !== 'number' || !Number.isInteger(value.fileCount) || value.fileCount < 0) continue;
        loaded.results.set(item[0], { hash: value.hash, fileCount: value.fileCount });
      }
      for (const item of memo.facts as unknown[]) {
        if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
        const value = item[1] as Partial<IndexFacts> | undefined;
        if (!isStringList(value?.uncompared) || !isStringList(value.trackedRepositories)) continue;
        loaded.facts.set(item[0], { uncompared: value.uncompared, trackedRepositories: value.trackedRepositories });
      }
    } catch {
      // No memo yet, or not one this version wrote.
    }
    return loaded;
  }
}

function factsKey(indexKey: string, prefix: string, format: string): string {
  return JSON.stringify([indexKey, prefix, format]);
}

/** Set `key` as the latest entry, dropping the oldest beyond `kept`. */
function putLatest<T>(map: Map<string, T>, key: string, value: T, kept: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of [...map.keys()].slice(0, Math.max(0, map.size - kept))) map.delete(oldest);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
