import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser, and the browser gate's default executable. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Make sure the real Chromium is there for the browser gate tests. CI starts from a fresh machine as
 * root, so there it is installed with apt-get (minutes: call this in a beforeAll with a long timeout);
 * anywhere else a missing Chromium is a clear error, not a skipped test.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(chromiumPath)) return chromiumPath;
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}; the browser gate tests drive the real browser. ` +
        'Install it (Debian/Ubuntu: sudo apt-get install chromium) and run the tests again.',
    );
  }
  // Another apt run (an image's own setup) may hold the lock: wait for it rather than fail.
  const lock = '-o DPkg::Lock::Timeout=600';
  await run(`apt-get ${lock} update && apt-get ${lock} install -y chromium`);
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium, but ${chromiumPath} is still missing`);
  return chromiumPath;
}

function run(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}):\n${output}`)),
    );
  });
}
