import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containmentEnvVar, containmentInitMarker, describeContainment } from '../../../src/process/containment.ts';
import { type RunProcessOptions, runProcess } from '../../../src/process/run-process.ts';
import { probeBubblewrap } from '../../../src/process/sandbox/bubblewrap.ts';
import { confineCommand } from '../../../src/process/sandbox/confine.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { baseOptions, daemonKinds, prepareDaemon } from './contained-daemons.ts';

delete process.env[containmentEnvVar];
const containment = describeContainment();

/** The shell's stdin and stdout as its first stdout line (read from a subshell: a redirection would move them). */
const showFds = (then: string) => `echo "fds $(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1)"\n${then}`;

/** Stdin from a file and stdout through a FIFO, both in the spawner's private dir: the spawner's way. */
const spawnerFds = /^fds \/.*\/sluice-spawner-\d+-\w+\/\d+\.in \/.*\/sluice-spawner-\d+-\w+\/\d+\.out$/;

/** Run streamed; tell every stdout line, and whether the namespace's init was the long-lived spawner's child. */
async function runStreamed(options: RunProcessOptions) {
  const lines: string[] = [];
  let spawned = false;
  const result = await runProcess({
    ...options,
    onStdoutLine: (line) => lines.push(line),
    onStart: ({ pgid }) => {
      const stat = readFileSync(`/proc/${pgid}/stat`, 'utf8');
      const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      const argv = readFileSync(`/proc/${parent}/cmdline`, 'latin1').split('\0');
      spawned = argv.some((arg) => arg.includes(containmentInitMarker)) && argv.includes('spawner');
    },
  });
  return { result, lines, spawned, log: readFileSync(options.outputPath, 'utf8') };
}

describe.skipIf(containment.mechanism !== 'pid-namespace')(
  'stdin and streamed stdout through the contained spawner (an agent turn)',
  () => {
    it('gives the command its input exactly, empty, small and larger than a pipe holds, as a file', async () => {
      const dir = tempDir();
      // About 245 KB of UTF-8, far above a pipe's 64 KiB: the command must read it all, in order.
      const large = Array.from({ length: 8000 }, (_, index) => `línea ${index} 🚀 \t"quoted" $HOME\n`).join('');
      for (const input of ['', 'one line, no newline', large]) {
        const { result, spawned, lines } = await runStreamed({
          ...baseOptions(dir, showFds('cat > got.txt')),
          input,
        });
        expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
        expect(spawned).toBe(true);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(spawnerFds);
        expect(readFileSync(join(dir, 'got.txt'), 'utf8')).toBe(input);
      }
    });

    it('hands over every stdout line in order, the last one without a newline too, and keeps stdout and stderr in the log', async () => {
      const dir = tempDir();
      const { result, lines, spawned, log } = await runStreamed({
        ...baseOptions(dir, showFds("seq 1 30000; seq 1 20000 >&2; printf 'last, no newline'; exit 4")),
        input: '',
      });
      expect(result).toMatchObject({ status: 'exited', exitCode: 4 });
      expect(spawned).toBe(true);
      const stdout = [...Array.from({ length: 30000 }, (_, index) => String(index + 1)), 'last, no newline'];
      expect(lines[0]).toMatch(spawnerFds);
      expect(lines.slice(1)).toEqual(stdout);
      // Both writers append: nothing lost, nothing overwritten (they may interleave).
      const stderrBytes = Array.from({ length: 20000 }, (_, index) => `${index + 1}\n`).join('').length;
      expect(Buffer.byteLength(log)).toBe(Buffer.byteLength(lines.join('\n')) + stderrBytes);
      expect(log).toContain('\n19999\n20000\n');
    });

    it('streams without stdin: stdin is /dev/null, stdout the FIFO', async () => {
      const dir = tempDir();
      const { result, lines, spawned } = await runStreamed(baseOptions(dir, showFds('echo "read: $(cat)"')));
      expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
      expect(spawned).toBe(true);
      expect(lines[0]).toMatch(/^fds \/dev\/null \/.*\/sluice-spawner-\d+-\w+\/\d+\.out$/);
      expect(lines.slice(1)).toEqual(['read: ']);
    });

    it('ends a command that closed its stdout early and ran on, with every line before and its stderr after', async () => {
      const dir = tempDir();
      const { result, lines, spawned, log } = await runStreamed({
        ...baseOptions(dir, 'echo one; printf two; exec 1>&-; sleep 0.3; echo late >&2; exit 3'),
        input: 'unread',
      });
      expect(spawned).toBe(true);
      expect(result).toMatchObject({ status: 'exited', exitCode: 3 });
      expect(result.durationMs).toBeGreaterThanOrEqual(250);
      expect(lines).toEqual(['one', 'two']);
      expect(log).toContain('late\n');
    });

    it('does not wait for a daemon that kept the stdout open: the namespace goes with the command', async () => {
      const daemon = prepareDaemon(daemonKinds[1] ?? { name: '', start: '' });
      const started = performance.now();
      const { result, lines, spawned } = await runStreamed({
        ...baseOptions(daemon.dir, daemon.command('echo done; exit 2')),
        input: 'x',
      });
      expect(spawned).toBe(true);
      expect(result).toMatchObject({ status: 'exited', exitCode: 2 });
      expect(lines).toEqual(['done']);
      expect(daemon.find()).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1500);
    });

    it('times out a streamed command that ignores SIGTERM, its daemon holding the stdout included', async () => {
      const daemon = prepareDaemon(daemonKinds[3] ?? { name: '', start: '' });
      const started = performance.now();
      const { result, lines, spawned } = await runStreamed({
        ...baseOptions(daemon.dir, daemon.command(`trap 'echo term' TERM; echo before; while :; do sleep 0.05; done`)),
        input: 'x',
        timeoutMs: 500,
        killGraceMs: 300,
      });
      expect(spawned).toBe(true);
      expect(result.status).toBe('timed-out');
      expect(lines).toContain('before');
      expect(lines).toContain('term');
      expect(daemon.find()).toEqual([]);
      expect(performance.now() - started).toBeLessThan(500 + 300 + 1500);
    });

    it('cancels a streamed command on abort', async () => {
      const dir = tempDir();
      const controller = new AbortController();
      const running = runStreamed({
        ...baseOptions(dir, 'echo started; sleep 30'),
        input: 'x',
        signal: controller.signal,
        killGraceMs: 200,
      });
      setTimeout(() => controller.abort(), 300);
      const { result, lines, spawned } = await running;
      expect(spawned).toBe(true);
      expect(result.status).toBe('cancelled');
      expect(lines).toEqual(['started']);
      expect(result.durationMs).toBeLessThan(2000);
    });

    it('tells onStart before the command runs, so its group is recorded before it can do anything', async () => {
      const dir = tempDir();
      for (let index = 0; index < 20; index++) {
        const ran = join(dir, `ran-${index}`);
        let ranBeforeStart: boolean | undefined;
        const result = await runProcess({
          ...baseOptions(dir, `touch ${ran}`),
          input: '',
          onStdoutLine: () => {},
          onStart: () => {
            ranBeforeStart = existsSync(ran);
          },
        });
        expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
        expect(ranBeforeStart).toBe(false);
        expect(existsSync(ran)).toBe(true);
      }
    });

    it('reports a program that cannot start, without hanging on its stdout', async () => {
      const dir = tempDir();
      const { result, lines } = await runStreamed({
        ...baseOptions(dir, { file: join(dir, 'no-such-agent'), args: [] }),
        input: 'prompt',
      });
      expect(result).toMatchObject({ status: 'spawn-failed', message: `spawn ${join(dir, 'no-such-agent')} ENOENT` });
      expect(lines).toEqual([]);
    });

    it.skipIf(!probeBubblewrap().available)(
      "lets no sandboxed command open, replace or read another's FIFO or stdin file, nor its own by path",
      async () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'victim.sh'), 'sleep 0.8; cat; echo; echo victim line\n');
        const victim = runStreamed({
          ...baseOptions(dir, { file: '/bin/sh', args: [join(dir, 'victim.sh')] }),
          outputPath: join(dir, 'victim.log'),
          input: 'victim secret',
        });
        // Every name the victim's files could have, every file in the private dir, by path and by listing;
        // and the dir itself: remove, replace, unmount, write.
        const attack = [
          'd=$(dirname "$(readlink /proc/$$/fd/1)"); echo "dir $d"',
          'ls -A "$d"; cat "$d"/*.in',
          'for n in $(seq 1 200); do timeout 0.2 sh -c "echo forged > $d/$n.out" 2>/dev/null; cat "$d/$n.in" 2>/dev/null; done',
          'rm -rf "$d"/* 2>/dev/null; mkfifo "$d/1.out" 2>/dev/null; umount "$d" 2>/dev/null; touch "$d/new" 2>/dev/null',
          'echo attack over',
        ].join('\n');
        const confined = confineCommand({ mode: 'auto', writablePaths: [] }, dir, {
          file: '/bin/sh',
          args: ['-c', attack],
        });
        const attacker = await runStreamed({
          ...baseOptions(dir, { file: confined.file, args: confined.args }),
          env: confined.env,
          outputPath: join(dir, 'attacker.log'),
          input: 'attacker input',
        });
        confined.cleanup();
        expect(attacker.spawned).toBe(true);
        expect(attacker.result).toMatchObject({ status: 'exited', exitCode: 0 });
        expect(attacker.lines[0]).toMatch(/^dir \/.*\/sluice-spawner-\d+-\w+$/);
        expect(attacker.lines.slice(1)).toEqual(['attack over']);
        expect(attacker.log).not.toContain('secret');
        const attacked = await victim;
        expect(attacked.spawned).toBe(true);
        expect(attacked.result).toMatchObject({ status: 'exited', exitCode: 0 });
        expect(attacked.lines).toEqual(['victim secret', 'victim line']);
      },
    );

    it("leaves nothing in the spawner's private dir once its commands are done", () => {
      const dirs = readdirSync(tmpdir()).filter((name) => name.startsWith(`sluice-spawner-${process.pid}-`));
      expect(dirs).toHaveLength(1);
      expect(readdirSync(join(tmpdir(), dirs[0] ?? ''))).toEqual([]);
    });
  },
);
