import { relative } from 'node:path';
import { loadConfig, validConfig } from '../config/config-file.ts';
import { defaultGuardConfig } from '../config/guard-defaults.ts';
import type { GuardConfig } from '../config/guard-schema.ts';
import { readFileAtRef } from '../workspace/refs.ts';

/**
 * The `guard:` settings that judge a change: sluice.yaml as committed at the base, so a change cannot
 * switch off the rules that judge it. Only when the base has no sluice.yaml is the working tree's read;
 * without any, the defaults.
 */
export async function guardConfigAt(
  repoRoot: string,
  baseCommit: string,
  configPath: string | undefined,
): Promise<GuardConfig> {
  if (!configPath) return defaultGuardConfig;
  const inRepo = relative(repoRoot, configPath);
  const text = await readFileAtRef(repoRoot, baseCommit, inRepo);
  if (text !== undefined) return (await validConfig(text, `${baseCommit.slice(0, 12)}:${inRepo}`)).guard;
  return (await loadConfig(configPath)).config.guard;
}
