export interface CaptureProcessOptions {
  /** The executable, found on `env.PATH` when it has no slash; no shell ever sees the argv. */
  file: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Aborting stops the whole process group, as a timeout does. */
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number;
}

/** What a captured process printed: stdout as the exact bytes, stderr as text. */
export interface Captured {
  stdout: Buffer;
  stderr: string;
  durationMs: number;
}

export type CaptureResult =
  | ({ status: 'exited'; exitCode: number } & Captured)
  | ({ status: 'signalled'; signal: NodeJS.Signals } & Captured)
  | ({ status: 'timed-out' } & Captured)
  | ({ status: 'cancelled' } & Captured)
  /** `code` is the errno name (ENOENT: no such executable, or no such cwd — Node cannot tell which). */
  | { status: 'spawn-failed'; code: string | undefined; message: string; durationMs: number };
