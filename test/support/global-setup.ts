import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
  // The bundle only (under a second): the tests drive the JavaScript, not the library's .d.ts files,
  // and `npm test` type-checks in its lint step.
  execFileSync(process.execPath, [`${root}scripts/build.mjs`, '--no-types'], { cwd: root, stdio: 'inherit' });
  buildWebIfStale(root);
  await ensureChromium();
  await ensureSandboxTools();
  // The instruction-count bench metric runs workloads under valgrind.
  await ensureDebianPackages(
    [{ binary: '/usr/bin/valgrind', pkg: 'valgrind' }],
    'the bench tests count instructions with it',
  );
  // The store tests on PostgreSQL start throwaway clusters with the machine's initdb and pg_ctl.
  if (!postgresBinDir()) {
    await ensureDebianPackages(
      [{ binary: '/usr/lib/postgresql', pkg: 'postgresql' }],
      'the PostgreSQL store and job-queue tests start throwaway clusters',
    );
  }
}

/**
 * `sluice serve` serves dist/web, the front end Vite builds from web/ (`npm run build` does it too):
 * rebuilt here only when a source is newer than the build, so test runs side by side rarely rebuild it.
 */
function buildWebIfStale(root: string): void {
  const built = join(root, 'dist/web/index.html');
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  const sources = Math.max(newest(join(root, 'web')), statSync(join(root, 'src/server/api-types.ts')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    // Vitest sets NODE_ENV=test, which would build the development bundle (with preact/debug).
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
}
