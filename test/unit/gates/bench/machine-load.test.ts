import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { sampleMachineLoad } from '../../../../src/gates/bench/machine-load.ts';

describe('the machine-load check of a bench gate', () => {
  it('calls a machine whose every core is busy loaded, and says why', async () => {
    const spinners = Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const load = await sampleMachineLoad();
      expect(load.cores).toBe(availableParallelism());
      expect(load.loaded).toBe(true);
      expect(load.note).toMatch(/^the machine is loaded \(.*(cores busy before the runs|above its \d+ cores)/);
      // A share of the CPU time measured (NaN or out of range would mean the /proc/stat read is wrong).
      expect(load.steal).toBeGreaterThanOrEqual(0);
      expect(load.steal).toBeLessThanOrEqual(1);
    } finally {
      for (const spinner of spinners) spinner.kill('SIGKILL');
    }
  });
});
