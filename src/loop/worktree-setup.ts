import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../process/run-process.ts';

/** Longest a setup command (installing dependencies) may take. */
const setupTimeoutMs = 20 * 60_000;

/**
 * Run `setup:` of sluice.yaml in a new run's worktree, in order (copy `.env`, install dependencies):
 * undefined when all passed, else why not. Output goes to `<logDir>/setup.log`.
 */
export async function runWorktreeSetup(
  commands: readonly string[],
  worktree: string,
  logDir: string,
  signal?: AbortSignal,
  mainCheckout?: string,
): Promise<string | undefined> {
  if (commands.length === 0) return undefined;
  await mkdir(logDir, { recursive: true });
  const outputPath = join(logDir, 'setup.log');
  for (const [index, command] of commands.entries()) {
    const result = await runProcess({
      command,
      cwd: worktree,
      timeoutMs: setupTimeoutMs,
      // Where the user's checkout is, so a setup command can copy files git does not track (`.env`).
      ...(mainCheckout ? { env: { SLUICE_MAIN_CHECKOUT: mainCheckout } } : {}),
      outputPath: index === 0 ? outputPath : join(logDir, `setup-${index + 1}.log`),
      contain: true,
      ...(signal ? { signal } : {}),
    });
    if (result.status !== 'exited' || result.exitCode !== 0) {
      const how = result.status === 'exited' ? `exit ${result.exitCode}` : result.status;
      return `setup command ${index + 1} (${command}) failed: ${how}; see ${logDir}`;
    }
  }
  return undefined;
}
