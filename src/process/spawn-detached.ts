import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface DetachedProcessOptions {
  file: string;
  args: string[];
  cwd: string;
  /** stdout and stderr both go to this file, appended. */
  outputPath: string;
}

/**
 * Start a process that lives on its own: its own session, not tracked (the exit hook of this process
 * does not kill it) and not waited for (this process may exit first). For work that must outlive the
 * process that asked for it, e.g. `sluice serve` handing a workflow to `sluice workflow resume`.
 * Resolves with its pid once it runs; rejects when it could not be started.
 */
export function spawnDetached(options: DetachedProcessOptions): Promise<number> {
  const output = openSync(options.outputPath, 'a');
  try {
    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      stdio: ['ignore', output, output],
      detached: true,
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid ?? 0);
      });
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(output);
  }
}
