import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../../errors.ts';

/**
 * How an agent turn is confined. `auto`: the strongest sandbox this machine offers, else the agent runs
 * unconfined and the evidence says so; `required`: no run starts without one; `off`: never sandboxed.
 */
export const sandboxModes = ['auto', 'required', 'off'] as const;
export type SandboxMode = (typeof sandboxModes)[number];

export interface SandboxPolicy {
  mode: SandboxMode;
  /** Absolute paths the agent may write besides its worktree (and what its own `git commit` needs). */
  writablePaths: string[];
}

export const defaultSandboxPolicy: SandboxPolicy = { mode: 'auto', writablePaths: [] };

/** Which sandbox confines an agent's turns; `none` when it runs with the user's full write access. */
export type SandboxKind = 'bubblewrap' | 'codex-sandbox' | 'claude-code-sandbox' | 'none';

/** What the evidence says about the agent's confinement: the kind, and one plain sentence. */
export interface SandboxReport {
  kind: SandboxKind;
  description: string;
}

/** `agent.sandbox: required` on a machine (or agent) with no sandbox: the run must not start. */
export class SandboxUnavailableError extends ConfigError {}

/** Refuse a report of `none` under `required`; the message says why there is none and what to do. */
export function assertSandboxAllowed(policy: SandboxPolicy, report: SandboxReport, agent: string): void {
  if (policy.mode !== 'required' || report.kind !== 'none') return;
  throw new SandboxUnavailableError(
    `agent.sandbox is "required", but the ${agent} agent cannot be sandboxed here: ${report.description}. ` +
      'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or set agent.sandbox to auto or off.',
  );
}

/** `~/x` and absolute paths as absolute paths; anything else is refused (relative to what?). */
export function expandWritablePath(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  if (!isAbsolute(path)) throw new ConfigError(`a sandbox writable path must be absolute or start with ~/: "${path}"`);
  return resolve(path);
}
