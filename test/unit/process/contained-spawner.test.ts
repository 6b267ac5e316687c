import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containmentEnvVar, containmentInitMarker, describeContainment } from '../../../src/process/containment.ts';
import { type RunProcessOptions, runProcess } from '../../../src/process/run-process.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { baseOptions, daemonKinds, prepareDaemon, sleepersWithToken } from './contained-daemons.ts';

delete process.env[containmentEnvVar];
// In Sluice's environment from the start: the spawner's own, which requests change.
process.env.SPAWNER_TEST_BASE = 'base';
const containment = describeContainment();

/** The parent of a live process; undefined once it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
}

/** Run contained, and tell which process the command's namespace init was a child of (while it ran). */
async function runWatched(options: RunProcessOptions) {
  let init: number | undefined;
  let parent: number | undefined;
  const result = await runProcess({
    ...options,
    onStart: ({ pgid }) => {
      init = pgid;
      parent = parentOf(pgid);
    },
  });
  return { result, init, parent };
}

/** The long-lived spawner: a Perl process carrying the init marker and the `spawner` argument. */
function isSpawner(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  const argv = commandLine(pid);
  return argv.some((arg) => arg.includes(containmentInitMarker)) && argv.includes('spawner');
}

describe.skipIf(containment.mechanism !== 'pid-namespace')('the contained spawner (runProcess contain: true)', () => {
  it('runs many commands at once, each in a namespace of its own under one spawner, each with its exit code and its own output', async () => {
    const dir = tempDir();
    const count = 40;
    const runs = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        runWatched({
          ...baseOptions(
            dir,
            `echo "out ${index} $$"; echo "err ${index}" >&2; sleep 0.3$((${index} % 5)); exit ${index % 7}`,
          ),
          outputPath: join(dir, `gate-${index}.log`),
        }),
      ),
    );
    const parents = new Set(runs.map((run) => run.parent));
    expect(parents.size).toBe(1);
    expect(isSpawner([...parents][0])).toBe(true);
    expect(new Set(runs.map((run) => run.init)).size).toBe(count);
    runs.forEach((run, index) => {
      expect(run.result).toMatchObject({ status: 'exited', exitCode: index % 7 });
      // Process 2 of its own namespace, stdout and stderr in its own file.
      expect(readFileSync(join(dir, `gate-${index}.log`), 'utf8')).toBe(`out ${index} 2\nerr ${index}\n`);
    });
  });

  it('gives the command its argv, cwd, environment (kept, set, changed, removed, replaced) and /dev/null as stdin', async () => {
    const dir = tempDir();
    const script = join(dir, 'show.sh');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
    const base = '"${SPAWNER_TEST_BASE-unset}"';
    writeFileSync(script, `printf "%s|" "$0" "$1" "$(pwd)" "$SET" ${base} "$(cat)"\n`);
    const shown = async (options: Partial<RunProcessOptions>) => {
      const { result } = await runWatched({
        ...baseOptions(dir, { file: '/bin/sh', args: [script, 'one arg with spaces'] }),
        ...options,
      });
      expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
      return readFileSync(join(dir, 'out.log'), 'utf8');
    };
    const start = `${script}|one arg with spaces|${dir}|`;
    // Sluice's environment when the spawner started (SPAWNER_TEST_BASE was set then), as it is now.
    expect(await shown({ env: { SET: 'a b\nc=d $HOME' } })).toBe(`${start}a b\nc=d $HOME|base||`);
    expect(await shown({ env: { SPAWNER_TEST_BASE: 'changed' } })).toBe(`${start}|changed||`);
    delete process.env.SPAWNER_TEST_BASE;
    expect(await shown({})).toBe(`${start}|unset||`);
    process.env.SPAWNER_TEST_BASE = 'base';
    expect(await shown({ env: { SET: 'only', PATH: process.env.PATH ?? '' }, replaceEnv: true })).toBe(
      `${start}only|unset||`,
    );
  });

  it('reports a missing program, a missing cwd and an output file it cannot open as spawn failures', async () => {
    const dir = tempDir();
    const missing = await runProcess(baseOptions(dir, { file: join(dir, 'nope'), args: [] }));
    expect(missing).toMatchObject({ status: 'spawn-failed', message: `spawn ${join(dir, 'nope')} ENOENT` });
    expect(await runProcess({ ...baseOptions(dir, 'true'), cwd: join(dir, 'nowhere') })).toMatchObject({
      status: 'spawn-failed',
    });
    expect(await runProcess({ ...baseOptions(dir, 'true'), outputPath: join(dir, 'no', 'dir.log') })).toMatchObject({
      status: 'spawn-failed',
    });
  });

  it("cannot be told another command's end by a command that writes to every descriptor of its init", async () => {
    const dir = tempDir();
    const victim = runProcess({ ...baseOptions(dir, 'sleep 0.6; exit 3'), outputPath: join(dir, 'victim.log') });
    // Replies for every id a spawner of this test could have given out, and a request of its own.
    const forged = Array.from(
      { length: 300 },
      (_, id) => `end ${id} exit 0\\ndone ${id} 0\\nstarted ${id} 1 1\\n`,
    ).join('');
    let starts = 0;
    const hostile = await runProcess({
      ...baseOptions(
        dir,
        `trap '' PIPE; for fd in /proc/1/fd/*; do printf '${forged}run 1 x\\n' > "$fd"; done 2>/dev/null; exit 0`,
      ),
      outputPath: join(dir, 'hostile.log'),
      onStart: () => starts++,
    });
    expect(hostile).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(starts).toBe(1);
    const result = await victim;
    expect(result).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(result.durationMs).toBeGreaterThanOrEqual(550);
    // The spawner still answers.
    expect(await runProcess(baseOptions(dir, 'exit 9'))).toMatchObject({ status: 'exited', exitCode: 9 });
  });

  for (const kind of daemonKinds) {
    it(`leaves nothing of ${kind.name} running once the result arrives, through the spawner`, async () => {
      const daemon = prepareDaemon(kind);
      const { result, parent } = await runWatched(baseOptions(daemon.dir, daemon.command('sleep 0.2; exit 5')));
      expect(isSpawner(parent)).toBe(true);
      expect(existsSync(daemon.ready)).toBe(true);
      expect(result).toMatchObject({ status: 'exited', exitCode: 5 });
      expect(daemon.find()).toEqual([]);
    });
  }

  it('times a command out: SIGTERM first, then the whole namespace, a daemon that ignores SIGTERM included', async () => {
    const daemon = prepareDaemon(daemonKinds[3] ?? { name: '', start: '' });
    const started = performance.now();
    const { result, parent } = await runWatched({
      ...baseOptions(daemon.dir, daemon.command(`trap 'echo term' TERM; trap '' INT; while :; do sleep 0.05; done`)),
      timeoutMs: 400,
      killGraceMs: 300,
    });
    expect(isSpawner(parent)).toBe(true);
    expect(result.status).toBe('timed-out');
    expect(daemon.find()).toEqual([]);
    expect(readFileSync(join(daemon.dir, 'out.log'), 'utf8')).toContain('term');
    expect(performance.now() - started).toBeLessThan(400 + 300 + 1000);
  });

  it('cancels a command at once when the signal is already aborted', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort();
    const result = await runProcess({ ...baseOptions(dir, 'sleep 30'), signal: controller.signal, killGraceMs: 200 });
    expect(result.status).toBe('cancelled');
    expect(result.durationMs).toBeLessThan(1500);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "gives a non-root Sluice's commands no capabilities, exactly as the per-command way (user namespace, --keep-caps)",
    async () => {
      const dir = tempDir();
      chmodSync(dir, 0o777);
      const script = join(dir, 'as-nobody.ts');
      const show = 'grep -E "^Cap(Inh|Prm|Eff|Amb)" /proc/self/status';
      writeFileSync(
        script,
        [
          `import { spawnSync } from 'node:child_process';`,
          `import { openSync, readFileSync } from 'node:fs';`,
          `import { runProcess } from ${JSON.stringify(resolve('src/process/run-process.ts'))};`,
          `import { containmentPlan, namespacedArgv } from ${JSON.stringify(resolve('src/process/containment.ts'))};`,
          `let parent = '';`,
          `const options = { command: ${JSON.stringify(show)}, cwd: ${JSON.stringify(dir)}, timeoutMs: 10000, contain: true };`,
          `await runProcess({ ...options, outputPath: ${JSON.stringify(join(dir, 'spawner.log'))}, onStart: ({ pgid }) => {`,
          `  const stat = readFileSync('/proc/' + pgid + '/stat', 'utf8');`,
          `  parent = readFileSync('/proc/' + stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] + '/cmdline', 'latin1'); } });`,
          // The per-command prefix, as a spawn of its own uses it (fd 3: the init's report).
          `const own = namespacedArgv(containmentPlan(), 'once', '/bin/sh', ['-c', options.command]);`,
          `const log = openSync(${JSON.stringify(join(dir, 'own.log'))}, 'w');`,
          `spawnSync(own.file, own.args, { stdio: ['ignore', log, log, 'pipe'] });`,
          // An agent turn's way: stdin from a file, stdout through a FIFO, both made in the user namespace.
          `const lines = [];`,
          `await runProcess({ ...options, command: 'cat; echo; readlink /proc/$$/fd/1 | grep -c sluice-spawner',`,
          `  input: 'prompt', onStdoutLine: (line) => lines.push(line), outputPath: ${JSON.stringify(join(dir, 'turn.log'))} });`,
          `console.log(JSON.stringify({ parent, lines }));`,
        ].join('\n'),
      );
      chmodSync(script, 0o644);
      const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const code = await new Promise((done) => child.once('close', done));
      expect(code).toBe(0);
      const { parent, lines } = JSON.parse(stdout) as { parent: string; lines: string[] };
      expect(lines).toEqual(['prompt', '1']);
      expect(parent.split('\0')).toContain('spawner');
      expect(parent).toContain(containmentInitMarker);
      const spawned = readFileSync(join(dir, 'spawner.log'), 'utf8');
      expect(spawned).toBe(readFileSync(join(dir, 'own.log'), 'utf8'));
      expect(spawned).toMatch(/CapInh:\s+0+\nCapPrm:\s+0+\nCapEff:\s+0+\n/);
      expect(spawned).toMatch(/CapAmb:\s+0+\n/);
    },
  );

  it('takes every gate process down when Sluice is killed with -9 mid-gate', async () => {
    const daemon = prepareDaemon(daemonKinds[1] ?? { name: '', start: '' });
    const script = join(daemon.dir, 'sluice-like.ts');
    const runProcessPath = resolve('src/process/run-process.ts');
    writeFileSync(
      script,
      [
        `import { runProcess } from ${JSON.stringify(runProcessPath)};`,
        `await runProcess({ command: ${JSON.stringify(daemon.command('sleep 300'))}, cwd: ${JSON.stringify(daemon.dir)},`,
        `  timeoutMs: 60000, outputPath: ${JSON.stringify(join(daemon.dir, 'out.log'))}, contain: true,`,
        `  onStart: ({ pgid }) => console.log(pgid) });`,
      ].join('\n'),
    );
    const sluice = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => {
      if (sluice.exitCode === null && sluice.signalCode === null) sluice.kill('SIGKILL');
    });
    let init = 0;
    sluice.stdout.on('data', (chunk: Buffer) => {
      init = Number(chunk.toString().trim());
    });
    // The daemon touches `ready` a moment before it execs sleep.
    expect(await waitFor(() => init > 0 && daemon.find().length === 1, 15_000)).toBe(true);
    const spawner = parentOf(init) ?? 0;
    expect(isSpawner(spawner)).toBe(true);
    sluice.kill('SIGKILL');
    expect(
      await waitFor(() => daemon.find().length === 0 && !isProcessAlive(spawner) && !isProcessAlive(init), 5000),
    ).toBe(true);
  });

  // Last: it uses up the one restart the spawner gets.
  it('reports the commands of a spawner killed mid-run as failed, without hanging, and runs the next ones', async () => {
    const dir = tempDir();
    const token = String(8_000_000 + (process.pid % 1_000_000));
    onTestFinished(() => {
      for (const pid of sleepersWithToken(token)) process.kill(pid, 'SIGKILL');
    });
    const inits: number[] = [];
    const running = Array.from({ length: 3 }, (_, index) =>
      runProcess({
        ...baseOptions(dir, `setsid sleep ${token} & sleep ${token}`),
        outputPath: join(dir, `running-${index}.log`),
        onStart: ({ pgid }) => inits.push(pgid),
      }),
    );
    expect(await waitFor(() => inits.length === 3 && sleepersWithToken(token).length === 6, 10_000)).toBe(true);
    const spawner = parentOf(inits[0] ?? 0) ?? 0;
    expect(isSpawner(spawner)).toBe(true);
    const killedAt = performance.now();
    process.kill(spawner, 'SIGKILL');
    const results = await Promise.all(running);
    expect(performance.now() - killedAt).toBeLessThan(3000);
    for (const result of results) {
      expect(result.status).toBe('spawn-failed');
      expect(result.status === 'spawn-failed' && result.message).toContain('contained spawner died');
    }
    expect(sleepersWithToken(token)).toEqual([]);

    // The next commands run, under a new spawner.
    const after = await runWatched(baseOptions(dir, 'sleep 0.3; exit 4'));
    expect(after.result).toMatchObject({ status: 'exited', exitCode: 4 });
    expect(isSpawner(after.parent)).toBe(true);
    expect(after.parent).not.toBe(spawner);

    // Killed again, it is not started a third time: commands go the per-command way, still contained.
    const second = after.parent ?? 0;
    process.kill(second, 'SIGKILL');
    expect(await waitFor(() => !isProcessAlive(second), 5000)).toBe(true);
    const daemon = prepareDaemon(daemonKinds[4] ?? { name: '', start: '' });
    const fallback = await runWatched(baseOptions(daemon.dir, daemon.command('exit 6')));
    expect(fallback.result).toMatchObject({ status: 'exited', exitCode: 6 });
    expect(isSpawner(fallback.parent)).toBe(false);
    expect(daemon.find()).toEqual([]);
  });
});
