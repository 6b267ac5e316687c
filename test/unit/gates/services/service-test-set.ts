import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { z } from 'zod';
import { serviceSchema } from '../../../../src/config/service-schema.ts';
import { ServiceSet } from '../../../../src/gates/services/service-set.ts';

/** A ServiceSet over services written as in sluice.yaml, stopped when the test finishes. */
export function serviceSet(
  root: string,
  services: Record<string, z.input<typeof serviceSchema>>,
  signal?: AbortSignal,
): ServiceSet {
  const set = new ServiceSet({
    services: Object.fromEntries(Object.entries(services).map(([name, config]) => [name, serviceSchema.parse(config)])),
    root,
    sluiceDir: join(root, '.sluice'),
    ...(signal ? { signal } : {}),
  });
  onTestFinished(() => set.stopAll());
  return set;
}
