/** How a command run by runProcess (or the contained spawner) ended. */
export type ProcessResult =
  | { status: 'exited'; exitCode: number; durationMs: number }
  | { status: 'signalled'; signal: NodeJS.Signals; durationMs: number }
  | { status: 'timed-out'; durationMs: number }
  | { status: 'cancelled'; durationMs: number }
  | { status: 'spawn-failed'; message: string; durationMs: number };
