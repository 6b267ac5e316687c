import { onTestFinished } from 'vitest';
import { RunStore, type RunStoreOptions, runStorePath } from '../../../src/store/run-store.ts';

/** Open the store under `configDir`, closed when the test finishes. */
export async function openStore(configDir: string, options?: RunStoreOptions): Promise<RunStore> {
  const store = await RunStore.open(runStorePath(configDir), options);
  onTestFinished(() => store.close());
  return store;
}
