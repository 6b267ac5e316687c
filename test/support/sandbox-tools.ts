import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's packages the sandbox tests need: bubblewrap (command agents, Claude Code) and socat (Claude Code). */
const tools = [
  { binary: '/usr/bin/bwrap', pkg: 'bubblewrap' },
  { binary: '/usr/bin/socat', pkg: 'socat' },
];

/**
 * Make sure bubblewrap and socat are installed, so the agents' sandboxes are tested for real: CI starts from a
 * fresh machine as root, so there they are installed with apt-get; anywhere else a missing one is a clear error.
 */
export async function ensureSandboxTools(): Promise<void> {
  const missing = tools.filter((tool) => !existsSync(tool.binary));
  if (missing.length === 0) return;
  const packages = missing.map((tool) => tool.pkg).join(' ');
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${packages} missing: the sandbox tests confine real agents with them. ` +
        `Install them (Debian/Ubuntu: sudo apt-get install ${packages}) and run the tests again.`,
    );
  }
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
