import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containmentEnvVar } from '../../src/process/containment.ts';
import { git, gitdir } from '../support/gitdir.ts';
import { isProcessAlive, waitFor } from '../support/process-state.ts';
import { brokenAdderRepo, rightAdd, wrongAdd } from '../support/run-fixtures.ts';
import { runSluice, sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A `sleep` length no other process on the machine uses: a pid written inside a PID namespace means nothing here. */
function uniqueToken(): string {
  return String(8_000_000 + ((process.pid * 7919 + Date.now()) % 1_000_000));
}

/** Live processes running `sleep <token>`, as the machine's /proc shows them; killed after the test. */
function sleepers(token: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [program = '', argument] = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
      if (basename(program) === 'sleep' && argument === token && isProcessAlive(Number(entry)))
        found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

function killSleepersAfterTest(token: string): void {
  onTestFinished(() => {
    for (const pid of sleepers(token)) process.kill(pid, 'SIGKILL');
  });
}

/**
 * A gate that starts a daemon (new session, double fork, SIGTERM ignored) which rewrites `beat` every 50 ms
 * and keeps a `sleep <token>` child, then sleeps itself.
 */
async function daemonGateRepo(token: string): Promise<string> {
  const gate = [
    `( setsid sh -c 'trap "" TERM HUP; sleep ${token} & while :; do date +%s%N > beat; sleep 0.05; done' & )`,
    `exec sleep ${token}`,
  ].join('; ');
  return gitdir({ files: { 'sluice.yaml': `gates:\n  hangs:\n    run: ${JSON.stringify(gate)}\n    timeout: 5m\n` } });
}

/** Start the real bin in the background with an environment of our choosing. */
function startCheck(cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [sluiceBin, 'check', '--no-cache'], {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, CI: '1', ...env },
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** True once `beat` has not changed for `quietMs`. */
async function beatStops(dir: string, quietMs: number, timeoutMs: number): Promise<boolean> {
  const beat = join(dir, 'beat');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = statSync(beat).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (statSync(beat).mtimeMs === before) return true;
  }
  return false;
}

describe('processes that outlive a gate or an agent turn', () => {
  it('a gate and the daemon it started die with `sluice check` killed with -9', async () => {
    const token = uniqueToken();
    killSleepersAfterTest(token);
    const repo = await daemonGateRepo(token);
    const check = startCheck(repo, { [containmentEnvVar]: 'auto' });
    expect(await waitFor(() => existsSync(join(repo, 'beat')) && sleepers(token).length === 2, 20_000)).toBe(true);
    check.kill('SIGKILL');
    // Bounded: the kernel ends them at once; a few seconds allow for a loaded machine.
    expect(await waitFor(() => sleepers(token).length === 0, 5000)).toBe(true);
    expect(await beatStops(repo, 300, 5000)).toBe(true);
  });

  it('a service, the daemon its start command left and the gate using it die with `sluice check` killed with -9', async () => {
    const token = uniqueToken();
    killSleepersAfterTest(token);
    const service = `( setsid sh -c 'trap "" TERM; exec sleep ${token}' & ); exec sleep ${token}`;
    const repo = await gitdir({
      files: {
        'sluice.yaml': JSON.stringify({
          services: { web: { run: service } },
          gates: { uses: { run: `exec sleep ${token}`, services: ['web'], timeout: '5m' } },
        }),
      },
    });
    const check = startCheck(repo, { [containmentEnvVar]: 'auto' });
    expect(await waitFor(() => sleepers(token).length === 3, 20_000)).toBe(true);
    check.kill('SIGKILL');
    expect(await waitFor(() => sleepers(token).length === 0, 5000)).toBe(true);
  });

  it('with the process-group fallback forced, the daemon survives a kill -9 (what the kernel mechanism adds)', async () => {
    const token = uniqueToken();
    killSleepersAfterTest(token);
    const repo = await daemonGateRepo(token);
    onTestFinished(() => {
      // The surviving shell loop is found by its working directory: this test's repository.
      const home = realpathSync(repo);
      for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        try {
          if (readlinkSync(`/proc/${entry}/cwd`) === home) process.kill(Number(entry), 'SIGKILL');
        } catch {
          // Gone or not ours.
        }
      }
    });
    const check = startCheck(repo, { [containmentEnvVar]: 'process-group' });
    expect(await waitFor(() => existsSync(join(repo, 'beat')) && sleepers(token).length === 2, 20_000)).toBe(true);
    check.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sleepers(token).length).toBeGreaterThan(0);
    expect(await beatStops(repo, 300, 1000)).toBe(false);
  });

  it("an agent's daemon that would rewrite src after the turn is dead before the gates run", async () => {
    const { run, first, committed } = await runDaemonAgent('auto');
    expect(run.stdout, run.stdout + run.stderr).not.toContain('done:');
    expect(first('daemon-alive')).toBeDefined();
    expect(first('gate-started')).toBeDefined();
    // The daemon never got to rewrite anything: it was killed with the turn, before the gate started.
    expect(first('daemon-rewrote')).toBeUndefined();
    expect(committed).toBe(wrongAdd.trim());
  }, 120_000);

  it('with the process-group fallback forced, that daemon escapes and rewrites src while the gate runs (the control)', async () => {
    const { first } = await runDaemonAgent('process-group');
    expect(first('daemon-alive')).toBeDefined();
    expect(first('daemon-rewrote')).toBeDefined();
  }, 120_000);
});

/**
 * `sluice run` (sandbox off: containment alone is under test) with a command agent that writes a wrong add(),
 * starts a daemon (new session, double fork, empty environment) that rewrites src/add.js with the right one
 * from 0.5 s after the turn on, and exits. What the daemon and the gate did, in order.
 */
async function runDaemonAgent(containment: string) {
  const repo = await brokenAdderRepo();
  const dir = tempDir('sluice-daemon-agent-');
  // Everything the daemon and the gate do is told to this test over a unix socket: a sandboxed agent may
  // not write outside its worktree, and a gate in a PID namespace cannot be seen by its pid.
  const socket = join(dir, 'events.sock');
  const events: Array<{ what: string; at: number }> = [];
  const server = createServer((request, response) => {
    events.push({ what: request.url ?? '', at: Date.now() });
    response.end('ok');
  });
  server.listen(socket);
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const tell = (what: string) =>
    `require('http').request({ socketPath: ${JSON.stringify(socket)}, path: '/${what}', method: 'POST' }).on('error', () => {}).end()`;
  const daemon = join(dir, 'daemon.cjs');
  writeFileSync(
    daemon,
    `const fs = require('fs');
process.on('SIGTERM', () => {});
${tell('daemon-alive')};
// Once the turn is over, put the right answer in, again and again, while the judge looks.
setTimeout(() => setInterval(() => { fs.writeFileSync('src/add.js', ${JSON.stringify(rightAdd)}); ${tell('daemon-rewrote')}; }, 20), 500);
`,
  );
  const agent = join(dir, 'agent.cjs');
  writeFileSync(
    agent,
    `const { spawn, spawnSync } = require('child_process');
require('fs').writeFileSync('src/add.js', ${JSON.stringify(wrongAdd)});
// Double fork with a new session and an empty environment: reparented at once, nothing to find it by.
spawnSync('setsid', ['sh', '-c', '(env -i ${process.execPath} ${daemon} </dev/null >/dev/null 2>&1 &)']);
spawnSync('sleep', ['0.2']);
`,
  );
  const gateTellScript = join(dir, 'gate-started.cjs');
  writeFileSync(gateTellScript, `${tell('gate-started')};\n`);
  const gateTell = `${process.execPath} ${gateTellScript}`;
  writeFileSync(
    join(repo, 'sluice.yaml'),
    readFileSync(join(repo, 'sluice.yaml'), 'utf8').replace(
      '    run: node --test',
      `    run: ${gateTell} && node --test`,
    ),
  );
  await git(repo, 'commit', '-qam', 'the gate tells the test when it starts');

  const run = await runSluice(
    [
      'run',
      'Make add() add',
      '--agent',
      'command',
      '--agent-command',
      `${process.execPath} ${agent}`,
      '--prompt-via',
      'stdin',
      '--max-iterations',
      '1',
      '--sandbox',
      'off',
    ],
    { cwd: repo, env: { [containmentEnvVar]: containment } },
  );
  onTestFinished(() => {
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes(daemon)) process.kill(Number(entry), 'SIGKILL');
      } catch {
        // Gone or not ours.
      }
    }
  });
  const first = (what: string) => events.find((event) => event.what === `/${what}`);
  const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
  // Time for a surviving daemon to show itself.
  await new Promise((resolve) => setTimeout(resolve, 800));
  return { run, first, committed: await git(repo, 'show', `sluice/${runId}:src/add.js`) };
}
