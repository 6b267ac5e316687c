import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm test` marks the environment as npm's (npm_command), and Sluice then spells its hints
// `npx sluice ...`. The tests run the CLI as a person with sluice on PATH would; a test that wants
// the npm spelling sets the variable itself.
delete process.env.npm_command;

// Sluice keeps the hooks' session records in the user's state folder ($XDG_STATE_HOME/sluice): the tests
// get one of their own, removed when the run ends, and never touch the user's.
const stateHome = mkdtempSync(join(tmpdir(), 'sluice-test-state-'));
process.env.XDG_STATE_HOME = stateHome;
process.on('exit', () => rmSync(stateHome, { recursive: true, force: true }));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture projects hold test files of their own (the guard's before/after cases): data, not our tests.
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
