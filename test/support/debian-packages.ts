import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A program the tests run for real, and the Debian package that installs it. */
export interface DebianTool {
  binary: string;
  pkg: string;
}

/**
 * Make sure the tools are installed. CI starts from a fresh machine as root, so there the missing ones are
 * installed with apt-get (minutes); anywhere else a missing tool is a clear error, never a skipped test.
 */
export async function ensureDebianPackages(tools: readonly DebianTool[], neededFor: string): Promise<void> {
  const missing = tools.filter((tool) => !existsSync(tool.binary));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.pkg).join(' ');
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${missing.map((tool) => tool.binary).join(', ')} missing: ${neededFor}. ` +
        `Install ${packages} (Debian/Ubuntu: sudo apt-get install ${packages}) and run the tests again.`,
    );
  }
  // Another apt run (an image's own setup) may hold the lock: wait for it rather than fail.
  const lock = '-o DPkg::Lock::Timeout=600';
  await run(`apt-get ${lock} update && apt-get ${lock} install -y ${packages}`);
  for (const tool of missing) {
    if (!existsSync(tool.binary)) throw new Error(`apt-get installed ${tool.pkg}, but ${tool.binary} is still missing`);
  }
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
