import { dirname, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { validConfig } from '../config/config-file.ts';
import { parseConfigText } from '../config/load-config.ts';
import type { SluiceConfig } from '../config/schema.ts';
import { ConfigError, SluiceError, UsageError } from '../errors.ts';
import { readFileAtRef, resolveCommit } from '../workspace/refs.ts';
import { repoRootOf } from '../workspace/repo-root.ts';

export interface BaseConfig {
  repoRoot: string;
  baseCommit: string;
  /** Folder of sluice.yaml relative to the repository root ('' at the root). */
  configDir: string;
  config: SluiceConfig;
  /** The committed text of sluice.yaml at the base. */
  text: string;
}

/**
 * The config that judges a run, read from the base commit — never from a working tree the agent can
 * edit. A sluice.yaml that is not committed at the base cannot judge anything.
 */
export async function loadBaseConfig(configPath: string, baseRef: string): Promise<BaseConfig> {
  const repoRoot = await repoRootOf(dirname(configPath));
  const baseCommit = await resolveCommit(repoRoot, baseRef).catch((error: unknown) => {
    if (baseRef === 'HEAD' && error instanceof SluiceError && error.code === 'GIT_REF_NOT_FOUND') {
      throw new UsageError('the repository has no commit yet: commit your code and sluice.yaml, then start the run');
    }
    throw error;
  });
  const inRepo = relative(repoRoot, configPath);
  const text = await readFileAtRef(repoRoot, baseCommit, inRepo);
  if (text === undefined) {
    throw new ConfigError(
      `${inRepo} is not committed at ${baseRef}: commit it first, the judge of a run comes from its base`,
    );
  }
  const config = await validConfig(text, `${baseRef}:${inRepo}`);
  return { repoRoot, baseCommit, configDir: dirname(inRepo) === '.' ? '' : dirname(inRepo), config, text };
}

/**
 * The base sluice.yaml with the acceptance gates added, as text: what an agent's Stop hook judges with,
 * kept outside the worktree so the agent cannot edit it.
 */
export function renderJudgeConfig(text: string, acceptance: string[]): string {
  const document = parseDocument(text);
  const tiers = Object.values(parseConfigText(text, 'judge').gates).map((gate) => gate.tier);
  acceptance.forEach((command, index) => {
    document.setIn(['gates', `accept-${index + 1}`], { run: command, tier: Math.max(...tiers) + 1 });
  });
  return document.toString();
}

/** The base config with each acceptance command as a blocking gate in a last tier of its own. */
export function withAcceptanceGates(config: SluiceConfig, acceptance: string[]): SluiceConfig {
  if (acceptance.length === 0) return config;
  const lastTier = Math.max(...Object.values(config.gates).map((gate) => gate.tier)) + 1;
  const gates = { ...config.gates };
  acceptance.forEach((command, index) => {
    gates[`accept-${index + 1}`] = {
      run: command,
      cwd: '.',
      env: {},
      timeout: 600_000,
      needs: [],
      kind: 'other',
      blocking: true,
      tier: lastTier,
      services: [],
    };
  });
  return { ...config, gates };
}
