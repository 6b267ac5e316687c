import { resolve } from 'node:path';
import { findConfigFile, loadConfig } from '../../config/config-file.ts';
import type { SluiceConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';

/** The sluice.yaml of the project around `dir`, as it is in the working tree (for reading settings). */
export async function loadProjectConfig(dir: string | undefined): Promise<SluiceConfig> {
  const path = findConfigFile(resolve(dir ?? '.'));
  if (!path) throw new UsageError('no sluice.yaml here or above');
  return (await loadConfig(path)).config;
}
