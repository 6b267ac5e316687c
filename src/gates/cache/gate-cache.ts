import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateConfig } from '../../config/schema.ts';
import { createHash } from '../../hashing.ts';
import { sweepDeadTempFiles, writeFileAtomically } from '../../process/scratch-dir.ts';
import type { TestCounts } from '../reports/report-types.ts';
import { InputHasher } from './hash-inputs.ts';
import { readRegularFileSync } from './read-regular-file.ts';

/** What is remembered of a gate's last pass. */
export interface CacheEntry {
  key: string;
  passedAt: string;
  durationMs: number;
  counts?: TestCounts;
}

/**
 * The cache key of a gate: its command, cwd, env, report, what judges it (invariant, log, http,
 * browser, services), the contents of its inputs, and the
 * keys of the gates it needs (so a change upstream re-runs everything downstream).
 * Undefined for a gate without inputs: such a gate is never cached. `inputHasher` is the check's (one look at
 * the files for all its gates); without it the inputs are hashed afresh.
 */
export async function computeGateKey(
  root: string,
  gate: GateConfig,
  neededKeys: Record<string, string | undefined>,
  inputHasher: InputHasher = new InputHasher(root),
): Promise<string | undefined> {
  // A benchmark measures this machine now, against a baseline that may have moved: never replayed.
  if (!gate.inputs || gate.inputs.length === 0 || gate.bench) return undefined;
  const inputs = await inputHasher.hash(gate.inputs);
  const env = Object.entries(gate.env).sort(([a], [b]) => a.localeCompare(b));
  const needs = Object.entries(neededKeys).sort(([a], [b]) => a.localeCompare(b));
  const { run, cwd, report, services, invariant, log, http, browser } = gate;
  const judged = { services, invariant, log, http, browser };
  const toolchain = toolchainEnvironment(gate.env);
  const material = JSON.stringify({ v: 3, run, cwd, env, toolchain, report, inputs, needs, judged });
  return createHash('sha256').update(material).digest('hex');
}

/**
 * The variables of Sluice's own environment that choose which programs a gate runs and how (its PATH, a
 * preload, interpreter options), as the gate inherits them. A pass recorded under another PATH (another
 * Node from nvm, or a fake `node` an agent put first) does not answer for this one.
 */
const toolchainVariables = [
  'PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'RUBYOPT',
  'PERL5OPT',
  'JAVA_TOOL_OPTIONS',
  'BASH_ENV',
  'ENV',
];

function toolchainEnvironment(gateEnv: Record<string, string>): Array<[string, string]> {
  return toolchainVariables.flatMap((name) => {
    if (Object.hasOwn(gateEnv, name)) return []; // in the config's env, keyed already
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as [string, string]];
  });
}

/** Reads and writes `<dir>/<gate>.json` (`.sluice/cache/` by default); writes are atomic (temp file + rename). */
export class GateCache {
  readonly #dir: string;

  constructor(cacheDir: string) {
    this.#dir = cacheDir;
  }

  /**
   * The last pass of a gate, if it was recorded with this key. Read at once: a record is a few hundred bytes,
   * and on a cached check these reads are what is left between the last git answer and the verdict.
   */
  async findPass(gateName: string, key: string): Promise<CacheEntry | undefined> {
    try {
      const entry = JSON.parse(readRegularFileSync(this.#path(gateName))?.toString('utf8') ?? '') as CacheEntry;
      return entry.key === key ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  async recordPass(gateName: string, entry: CacheEntry): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await sweepDeadTempFiles(this.#dir);
    await writeFileAtomically(this.#path(gateName), `${JSON.stringify(entry)}\n`);
  }

  #path(gateName: string): string {
    return join(this.#dir, `${gateName}.json`);
  }
}
