import { dirname, resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { UsageError } from '../../errors.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { queueReviewsLeftDue } from '../work-ports.ts';

/**
 * The run store of the project around `dir` (next to its sluice.yaml), with the runs a killed Sluice
 * left `done` without their review item queued first.
 */
export async function openProjectRunStore(dir: string | undefined): Promise<RunStore> {
  const configPath = findConfigFile(resolve(dir ?? '.'));
  if (!configPath) throw new UsageError('no sluice.yaml here or above, so no runs either');
  const store = await RunStore.open(runStorePath(dirname(configPath)));
  await queueReviewsLeftDue(store);
  return store;
}
