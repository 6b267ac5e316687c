import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const childScript = fileURLToPath(new URL('./store-child.ts', import.meta.url));

/** Start store-child.ts in its own Node process; killed when the test finishes if still alive. */
export function spawnStoreChild(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolve once the child printed `line`; reject with its stderr if it exits first. */
export function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes(line)) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}) before "${line}": ${stderr}`)),
    );
  });
}

/** Resolve with the signal that ended the child. */
export function waitForExit(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
}
