import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sluiceBin = `${repoRoot}bin/sluice.js`;

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the real `sluice` bin (built dist) in `cwd`, as a user would, with Node 22; `input` is written to its
 * stdin (a hook's JSON, as the agent CLI hands it), which is otherwise empty.
 */
export function runSluice(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): Promise<CliRun> {
  return runNodeScript([sluiceBin, ...args], options);
}

/** Node (this test's own binary) with `argv`: a script and its arguments, run as runSluice runs the CLI. */
export function runNodeScript(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd,
      env: { ...process.env, CI: '1', NO_COLOR: '1', ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}

/** `sluice check --json` parsed. */
export async function checkJson(cwd: string, ...args: string[]) {
  const run = await runSluice(['check', '--json', ...args], { cwd });
  let json: CheckJson;
  try {
    json = JSON.parse(run.stdout) as CheckJson;
  } catch {
    throw new Error(`not JSON (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
  const gate = (name: string) => {
    const found = json.gates.find((entry) => entry.name === name);
    if (!found) throw new Error(`no gate ${name} in ${run.stdout}`);
    return found;
  };
  return { ...run, json, gate };
}

export interface CheckJson {
  verdict: 'passed' | 'failed';
  duration_ms: number;
  gates: Array<{
    name: string;
    status: 'passed' | 'failed' | 'timed-out' | 'skipped' | 'cached';
    duration_ms: number;
    exit_code: number | null;
    reason: string | null;
    log: string | null;
    counts: { total: number; passed: number; failed: number; skipped: number } | null;
    failures: Array<{
      test: string | null;
      message: string;
      file: string | null;
      line: number | null;
      expected?: string;
      received?: string;
      origin?: string;
    }>;
  }>;
  feedback: string;
}

/** Start the real bin in the background (for Ctrl-C and kill -9 tests): its output so far, and its exit. */
export function startSluice(args: string[], cwd: string) {
  const child = spawn(process.execPath, [sluiceBin, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, exited };
}
