import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { processLauncher, useProcessLauncher } from '../../src/process/launcher/shared-launcher.ts';

/**
 * The file's tests run their captured commands through the process launcher: it is switched on before
 * them and off after, the variables they set on process.env are removed, and after each test the launcher
 * must be the same one (no test fell back to Node's own spawn without saying so).
 */
export function launcherOnForThisFile(variables: Record<string, string> = {}): void {
  const saved = new Set(Object.keys(process.env));
  Object.assign(process.env, variables);
  let launcherPid: number | undefined;
  beforeAll(() => {
    useProcessLauncher();
    launcherPid = processLauncher()?.pid;
  });
  afterEach(() => {
    expect(launcherPid).toBeGreaterThan(0);
    expect(processLauncher()?.pid).toBe(launcherPid);
  });
  afterAll(() => {
    useProcessLauncher(false);
    for (const name of Object.keys(process.env)) if (!saved.has(name)) delete process.env[name];
  });
}

/** `body` with the launcher off: Node's own spawn, to compare with. */
export async function withoutLauncher<T>(body: () => Promise<T>): Promise<T> {
  useProcessLauncher(false);
  try {
    return await body();
  } finally {
    useProcessLauncher();
  }
}
