import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessAlive, waitFor } from '../support/process-state.ts';
import { checkJson, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

describe('sluice check runs the gate graph', () => {
  it('runs independent gates in parallel and dependents after their needs', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  a: { run: "date +%s%N > a.start; sleep 0.4; date +%s%N > a.done" }
  b: { run: "date +%s%N > b.start; sleep 0.4; date +%s%N > b.done" }
  c: { run: "date +%s%N > c.start", needs: [a, b] }
`,
    });
    const { exitCode, json, gate } = await checkJson(dir, '--concurrency', '2');
    expect(exitCode).toBe(0);
    expect(json.verdict).toBe('passed');
    expect(['a', 'b', 'c'].map((name) => gate(name).status)).toEqual(['passed', 'passed', 'passed']);
    const read = (file: string) => BigInt(readFileSync(join(dir, file), 'utf8').trim());
    expect(read('c.start')).toBeGreaterThan(read('a.done'));
    expect(read('c.start')).toBeGreaterThan(read('b.done'));
    // a and b overlapped: each started before the other was done (a clock, not a duration, so load cannot flake it).
    expect(read('a.start')).toBeLessThan(read('b.done'));
    expect(read('b.start')).toBeLessThan(read('a.done'));
  });

  it('kills a timed-out gate and the grandchild it forked', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  hang: { run: "sh fork.sh", timeout: 1s }\n',
      'fork.sh': 'sleep 300 &\necho $! > grandchild.pid\nsleep 300\n',
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('hang').status).toBe('timed-out');
    expect(gate('hang').reason).toContain('timed out after 1s');
    const pid = Number(readFileSync(join(dir, 'grandchild.pid'), 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
  });

  it('leaves no background process behind after a gate passes', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  spawns: { run: "sleep 300 & echo $! > bg.pid" }\n' });
    const { exitCode } = await checkJson(dir);
    expect(exitCode).toBe(0);
    const pid = Number(readFileSync(join(dir, 'bg.pid'), 'utf8'));
    expect(await waitFor(() => !isProcessAlive(pid))).toBe(true);
  });

  it('fails fast by tier: a failing cheap tier skips the expensive one', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  lint: { run: "echo 'src/a.ts:3:1 error no-unused-vars' >&2; exit 1", tier: 1 }
  types: { run: "true", tier: 1 }
  test: { run: "touch test-ran", tier: 2 }
`,
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('lint').status).toBe('failed');
    expect(gate('types').status).toBe('passed');
    expect(gate('test').status).toBe('skipped');
    expect(gate('test').reason).toBe('tier 1 failed (lint)');
    expect(() => readFileSync(join(dir, 'test-ran'))).toThrow();
  });

  it('skips the dependents of a failed gate and keeps a non-blocking failure from failing the check', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  build: { run: "exit 3" , blocking: false }
  test: { run: "true", needs: [build] }
  docs: { run: "true" }
`,
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(gate('build')).toMatchObject({ status: 'failed', exit_code: 3 });
    expect(gate('test')).toMatchObject({ status: 'skipped', reason: 'needs "build", which did not pass' });
    expect(gate('docs').status).toBe('passed');
    // test is blocking and did not pass, so the check fails.
    expect(exitCode).toBe(1);
  });

  it('passes when only a non-blocking gate fails', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  advisory: { run: "exit 1", blocking: false }\n  real: { run: "true" }\n',
    });
    const { exitCode, json } = await checkJson(dir);
    expect(exitCode).toBe(0);
    expect(json.verdict).toBe('passed');
  });

  it('keeps the full output of a gate that prints 10 MB in its log, and the feedback small', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  loud: { run: "node big.js" }\n',
      'big.js':
        "const line = 'x'.repeat(99) + '\\n';\nfor (let i = 0; i < 100000; i++) process.stdout.write(line);\nconsole.error('src/app.js:7 Error: boom');\nprocess.exit(1);\n",
    });
    const { gate, json } = await checkJson(dir);
    expect(gate('loud').status).toBe('failed');
    const log = readFileSync(join(dir, '.sluice/logs/loud.log'), 'utf8');
    expect(log.length).toBeGreaterThanOrEqual(10_000_000);
    expect(log).toContain('src/app.js:7 Error: boom');
    expect(json.feedback.length).toBeLessThanOrEqual(4000);
    expect(json.feedback).toContain('src/app.js:7');
  });

  it('runs only the selected gate and what it needs', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml':
        'gates:\n  build: { run: "true" }\n  test: { run: "true", needs: [build] }\n  lint: { run: "true" }\n',
    });
    const { json } = await checkJson(dir, '--gate', 'test');
    expect(json.gates.map((gate) => gate.name).sort()).toEqual(['build', 'test']);
    const unknown = await runSluice(['check', '--gate', 'nope'], { cwd: dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown gate "nope"; gates: build, test, lint');
  });

  it('writes plain lines and the feedback when output is not a terminal', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml':
        'gates:\n  ok: { run: "true" }\n  bad: { run: "echo \'lib/x.py:12: AssertionError: 1 != 2\'; exit 1" }\n',
    });
    const run = await runSluice(['check'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/✓ ok\s+passed/);
    expect(run.stdout).toMatch(/✗ bad\s+failed/);
    expect(run.stdout).toContain('lib/x.py:12');
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('never puts a secret from the environment into the feedback or the JSON', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': 'gates:\n  leaky:\n    run: "echo \\"src/api.ts:3 Error: bad key $SERVICE_API_KEY\\"; exit 1"\n',
    });
    const run = await runSluice(['check', '--json'], { cwd: dir, env: { SERVICE_API_KEY: 'sk-live-0123456789' } });
    expect(run.stdout).toContain('[redacted:SERVICE_API_KEY]');
    expect(run.stdout).not.toContain('sk-live-0123456789');
  });
});
