import { spawnSync } from 'node:child_process';

/** Whether a short check command exits 0, and if not its first line of complaint. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Run a quick capability check (a sandbox that must start) synchronously, with a time limit. */
export function probeCommand(
  file: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): ProbeResult {
  const result = spawnSync(file, args, {
    encoding: 'utf8',
    timeout: 20_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...process.env, ...options.env },
  });
  if (result.status === 0) return { ok: true };
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim());
  const complaint = lines.filter((line) => line !== '' && !line.startsWith('WARNING')).at(-1);
  return { ok: false, reason: complaint ?? result.error?.message ?? `exit ${result.status ?? result.signal}` };
}
