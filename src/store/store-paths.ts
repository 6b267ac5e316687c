import { join } from 'node:path';

/** Where the run store of the project whose sluice.yaml is in `configDir` lives. */
export function runStorePath(configDir: string): string {
  return join(configDir, '.sluice', 'sluice.db');
}
