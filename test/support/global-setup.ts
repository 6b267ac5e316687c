import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.ts';
import { ensureDebianPackages } from './debian-packages.ts';
import { postgresBinDir } from './postgres.ts';
import { ensureSandboxTools } from './sandbox-tools.ts';

/**
 * The end-to-end tests drive the real bin, so build dist once before them; and the browser tests
 * drive the real Chromium, installed here once (a fresh CI machine has none) rather than by each
 * test file at the same time. The same for bubblewrap and socat, which the agents' sandboxes need,
 * and for PostgreSQL.
 */
export default async function setUp(): Promise<void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  await ensureChromium();
  await ensureSandboxTools();
  // The store tests on PostgreSQL start throwaway clusters with the machine's initdb and pg_ctl.
  if (!postgresBinDir()) {
    await ensureDebianPackages(
      [{ binary: '/usr/lib/postgresql', pkg: 'postgresql' }],
      'the PostgreSQL store and job-queue tests start throwaway clusters',
    );
  }
}
