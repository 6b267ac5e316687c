import { ensureDebianPackages } from './debian-packages.ts';

/** Make sure bubblewrap (command agents, Claude Code's sandbox) and socat (Claude Code's) are there, for real. */
export function ensureSandboxTools(): Promise<void> {
  return ensureDebianPackages(
    [
      { binary: '/usr/bin/bwrap', pkg: 'bubblewrap' },
      { binary: '/usr/bin/socat', pkg: 'socat' },
    ],
    'the sandbox tests confine real agents with them',
  );
}
