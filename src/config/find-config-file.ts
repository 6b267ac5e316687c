import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Apart from config-file.ts, which loads node:crypto for its cache: `sluice guard` on an empty diff
// needs to know where sluice.yaml is, and never reads it.

export const configFileNames = ['sluice.yaml', 'sluice.yml'] as const;

/**
 * Find sluice.yaml in `startDir` or the nearest folder above it, never above the repository root
 * (the folder holding `.git`): another project's config must not judge this one.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of configFileNames) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
