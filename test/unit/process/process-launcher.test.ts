import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CaptureProcessOptions,
  type CaptureResult,
  captureProcess,
} from '../../../src/process/capture-process.ts';
import { processLauncher } from '../../../src/process/launcher/shared-launcher.ts';
import { launcherOnForThisFile, withoutLauncher } from '../../support/process-launcher-on.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';

// In Sluice's environment before the launcher starts: the launcher's own (without Perl's variables, which
// would re-encode its binary replies), which each request's environment changes.
launcherOnForThisFile({ SLUICE_LAUNCHER_TEST_BASE: 'in the base', PERL_UNICODE: 'SDA', PERL5OPT: '-Mstrict' });

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const options = (file: string, args: string[], more: Partial<CaptureProcessOptions> = {}): CaptureProcessOptions => ({
  file,
  args,
  cwd: tempDir(),
  env,
  timeoutMs: 10_000,
  ...more,
});

/** The same command through the launcher and through Node's own spawn. */
async function bothWays(command: CaptureProcessOptions): Promise<{ launched: CaptureResult; direct: CaptureResult }> {
  const launched = await captureProcess(command);
  return { launched, direct: await withoutLauncher(() => captureProcess(command)) };
}

/** The result without its duration, which differs from run to run. */
function withoutDuration(result: CaptureResult): Omit<CaptureResult, 'durationMs'> {
  const { durationMs: _, ...rest } = result;
  return rest;
}

describe('captureProcess through the process launcher', () => {
  it('runs the command as a child of the launcher, not of Node', async () => {
    const result = await captureProcess(options('/bin/sh', ['-c', 'echo $PPID']));
    expect(result.status === 'exited' && Number(result.stdout.toString())).toBe(processLauncher()?.pid);
  });

  it('returns stdout as the exact bytes: binary with NULs and newlines, 5 MB, empty', async () => {
    const dir = tempDir();
    const binary = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)),
      Buffer.from('\n\0\r\nend 1 exit 0 3 0\nabc\n\0'),
    ]);
    const large = randomBytes(5 * 1024 * 1024);
    writeFileSync(join(dir, 'binary'), binary);
    writeFileSync(join(dir, 'large'), large);
    for (const [name, expected] of [
      ['binary', binary],
      ['large', large],
    ] as const) {
      const { launched, direct } = await bothWays({ ...options('cat', [name]), cwd: dir });
      expect(launched.status).toBe('exited');
      expect(launched.status === 'exited' && launched.stdout.equals(expected)).toBe(true);
      expect(withoutDuration(launched)).toEqual(withoutDuration(direct));
    }
    const empty = await captureProcess(options('true', []));
    expect(empty).toMatchObject({ status: 'exited', exitCode: 0, stderr: '' });
    expect(empty.status === 'exited' && empty.stdout.length).toBe(0);
  });

  it('returns stderr apart, the exit code, and a death by signal, as the direct spawn does', async () => {
    const commands = [
      options('/bin/sh', ['-c', 'printf partial; printf "é oops\\n" >&2; exit 3']),
      options('/bin/sh', ['-c', 'echo before; kill -TERM $$']),
      options('/bin/sh', ['-c', 'kill -SEGV $$']),
      options('/bin/sh', ['-c', 'exit 255']),
    ];
    const results = [];
    for (const command of commands) {
      const { launched, direct } = await bothWays(command);
      expect(withoutDuration(launched)).toEqual(withoutDuration(direct));
      results.push(launched);
    }
    expect(results[0]).toMatchObject({ status: 'exited', exitCode: 3, stderr: 'é oops\n' });
    expect(results[0]?.status === 'exited' && results[0].stdout.toString()).toBe('partial');
    expect(results[1]).toMatchObject({ status: 'signalled', signal: 'SIGTERM' });
    expect(results[1]?.status === 'signalled' && results[1].stdout.toString()).toBe('before\n');
    expect(results[2]).toMatchObject({ status: 'signalled', signal: 'SIGSEGV' });
    expect(results[3]).toMatchObject({ status: 'exited', exitCode: 255 });
  });

  it('reports a missing executable or cwd, or one that is not a folder, as the direct spawn does', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    writeFileSync(join(dir, 'not-executable'), 'echo hi\n');
    const cases = [
      [options('no-such-binary-xyz', []), 'ENOENT'],
      [{ ...options('/bin/true', []), cwd: join(dir, 'missing') }, 'ENOENT'],
      [options(join(dir, 'not-executable'), []), 'EACCES'],
    ] as const;
    for (const [command, code] of cases) {
      const { launched, direct } = await bothWays(command);
      expect(launched).toMatchObject({ status: 'spawn-failed', code, message: `spawn ${command.file} ${code}` });
      expect(withoutDuration(launched)).toEqual(withoutDuration(direct));
    }
    // Node's spawn throws this one instead of reporting it; the launcher reports it like the others.
    const notAFolder = await captureProcess({ ...options('/bin/true', []), cwd: join(dir, 'file') });
    expect(notAFolder).toMatchObject({ status: 'spawn-failed', code: 'ENOTDIR' });
  });

  it('feeds stdin exactly: empty, multibyte, large', async () => {
    for (const input of ['', 'é\0\n'.repeat(3), 'ü line\n'.repeat(400_000)]) {
      const result = await captureProcess(options('cat', [], { input }));
      expect(result.status === 'exited' && result.stdout.equals(Buffer.from(input))).toBe(true);
    }
    // Without input, stdin is /dev/null: the command does not wait for it.
    const none = await captureProcess(options('/bin/sh', ['-c', 'cat; readlink /proc/self/fd/0']));
    expect(none.status === 'exited' && none.stdout.toString()).toBe('/dev/null\n');
  });

  it('gives the command exactly the environment it is handed', async () => {
    const given = {
      PATH: env.PATH,
      TRICKY: 'a=b\nc=d\n\t x',
      EMPTY: '',
      'NAME WITH SPACE': 'ü',
      PERL_UNICODE: 'SDA',
    };
    const { launched, direct } = await bothWays(
      options(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { env: given }),
    );
    expect(launched.status === 'exited' && JSON.parse(launched.stdout.toString())).toEqual(given);
    expect(withoutDuration(launched)).toEqual(withoutDuration(direct));
    // The launcher's own variables are not the command's.
    const bare = await captureProcess(options('/usr/bin/env', [], { env: { ONLY: '1' } }));
    expect(bare.status === 'exited' && bare.stdout.toString()).toBe('ONLY=1\n');
  });

  it('stops the group on abort, and at once when already aborted', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await captureProcess({
      ...options('/bin/sh', ['-c', `echo $$ > "${join(dir, 'pid')}"; sleep 300`]),
      timeoutMs: 60_000,
      signal: controller.signal,
      killGraceMs: 200,
    });
    expect(result.status).toBe('cancelled');
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
    const aborted = await captureProcess({
      ...options('/bin/sh', ['-c', `touch "${join(dir, 'ran')}"; sleep 300`]),
      signal: AbortSignal.abort(),
      killGraceMs: 200,
    });
    expect(aborted.status).toBe('cancelled');
  });

  it('kills what the command left in its group when it exits, and does not wait for a stray', async () => {
    const dir = tempDir();
    const member = join(dir, 'member.pid');
    const stray = join(dir, 'stray.pid');
    const started = performance.now();
    const result = await captureProcess({
      ...options('/bin/sh', [
        '-c',
        `sh -c 'echo $$ > "${member}"; exec sleep 300' & setsid sh -c 'echo $$ > "${stray}"; exec sleep 30' &
         while [ ! -s "${member}" ] || [ ! -s "${stray}" ]; do sleep 0.05; done; echo done`,
      ]),
      cwd: dir,
    });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(result.status === 'exited' && result.stdout.toString()).toBe('done\n');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await waitFor(() => !isProcessAlive(Number(readFileSync(member, 'utf8'))))).toBe(true);
    process.kill(Number(readFileSync(stray, 'utf8')), 'SIGKILL');
  });

  it('gives each of 50 concurrent commands its own output, whatever a command prints', async () => {
    const forged = 'end 3 exit 0 6 0\nforgedstarted 4 1\nend 5 signal 9 0 0\n';
    const commands = Array.from({ length: 50 }, (_, index) =>
      options('/bin/sh', [
        '-c',
        index === 7
          ? `printf '%s' "$1"; sleep 0.2; printf '%s' "$1" >&2; exit 7`
          : `sleep 0.0$(($2 % 10)); printf 'id %s\\n' "$2"; printf 'err %s' "$2" >&2; exit $(($2 % 5))`,
        'sh',
        index === 7 ? forged : String(index),
        String(index),
      ]),
    );
    const results = await Promise.all(commands.map((command) => captureProcess(command)));
    results.forEach((result, index) => {
      if (index === 7) {
        expect(result).toMatchObject({ status: 'exited', exitCode: 7, stderr: forged });
        expect(result.status === 'exited' && result.stdout.toString()).toBe(forged);
        return;
      }
      expect(result).toMatchObject({ status: 'exited', exitCode: index % 5, stderr: `err ${index}` });
      expect(result.status === 'exited' && result.stdout.toString()).toBe(`id ${index}\n`);
    });
  });

  it('gives no other process a way in through /proc to what the command reads or prints, or to the replies', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const running = captureProcess({
      ...options('/bin/sh', ['-c', `echo $$ > "${pidFile}"; sleep 1; cat; echo real`], { input: 'input\n' }),
      cwd: dir,
    });
    expect(await waitFor(() => readFileSync(pidFile, { encoding: 'utf8', flag: 'a+' }).endsWith('\n'))).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const reopened: string[] = [];
    for (const path of [0, 1, 2].map((fd) => `/proc/${pid}/fd/${fd}`).concat(`/proc/${processLauncher()?.pid}/fd/1`)) {
      for (const flag of ['r', 'w'] as const) {
        try {
          closeSync(openSync(path, flag));
          reopened.push(`${path} (${flag})`);
        } catch {
          // Sockets cannot be opened again (ENXIO); the launcher's descriptors are not even listed to others.
        }
      }
    }
    expect(reopened).toEqual([]);
    const result = await running;
    expect(result.status === 'exited' && result.stdout.toString()).toBe('input\nreal\n');
  });

  it('runs a relative cwd from Sluice’s own folder, symlinks resolved as chdir does', async () => {
    const result = await captureProcess({ ...options('/bin/pwd', ['-P']), cwd: 'src/..' });
    expect(result.status === 'exited' && result.stdout.toString()).toBe(`${process.cwd()}\n`);
  });
});
