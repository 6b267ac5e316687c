import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureDebianPackages } from '../support/debian-packages.ts';
import {
  type CorpusRunner,
  corpusRunners,
  feedbackEntries,
  missingProgram,
  prepareCorpusProject,
  readSeeded,
  seededFailureProblems,
} from '../support/real-world-corpus.ts';
import { runSluice } from '../support/sluice-cli.ts';

async function ensureToolchain(runner: CorpusRunner): Promise<void> {
  // Debian's golang-go installs in seconds; cargo and python3 are expected on the machine, like node.
  if (runner === 'go') await ensureDebianPackages([{ binary: '/usr/bin/go', pkg: 'golang-go' }], 'the go corpus');
  const missing = missingProgram(runner);
  if (missing !== undefined) throw new Error(`${missing} is not on PATH: the ${runner} corpus project needs it`);
}

// Each corpus project, as a new user would meet it: `sluice init`, then the feedback an agent reads.
describe('feedback on the real-world corpus (test/fixtures/real-world)', () => {
  it.each(corpusRunners)(
    '%s: names every seeded failure with file:line and expected/received',
    async (runner) => {
      await ensureToolchain(runner);
      const outer = mkdtempSync(join(tmpdir(), 'sluice-real-world-'));
      onTestFinished(() => rmSync(outer, { recursive: true, force: true }));
      const dir = join(outer, runner);
      const { hasConfig } = prepareCorpusProject(runner, dir);
      if (!hasConfig) {
        const init = await runSluice(['init'], { cwd: dir });
        expect(init.exitCode, init.stderr).toBe(0);
      }

      const check = await runSluice(['check', '--feedback'], { cwd: dir });

      expect(check.exitCode, check.stderr).toBe(1);
      const seeded = readSeeded(runner);
      const problems = seeded.failures.flatMap((failure) => seededFailureProblems(check.stdout, failure));
      expect(problems, check.stdout).toEqual([]);
      // Only the seeded failures: no extra entry from a second reading of the same output.
      expect(feedbackEntries(check.stdout), check.stdout).toHaveLength(seeded.failures.length);
      expect(check.stdout.length).toBeLessThanOrEqual(4000);
    },
    180_000,
  );
});
