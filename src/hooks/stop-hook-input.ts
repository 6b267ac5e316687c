import { parseHookJson } from './hook-json.ts';

/** The fields of Claude Code's Stop hook JSON (stdin) that Sluice reads; the rest is ignored. */
export interface StopHookInput {
  sessionId: string;
  cwd: string;
  /** True when Claude Code is already continuing because a Stop hook blocked it. */
  stopHookActive: boolean;
}

export type StopHookInputResult = { ok: true; input: StopHookInput } | { ok: false; problem: string };

/**
 * Parse the Stop hook JSON. Garbage is an expected outcome, not an error: the caller lets the
 * agent stop rather than block it on input nobody can fix.
 */
export function parseStopHookInput(text: string): StopHookInputResult {
  const parsed = parseHookJson(text, 'Stop hook');
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  if (typeof fields.session_id !== 'string' || fields.session_id === '') {
    return { ok: false, problem: 'the hook JSON has no session_id' };
  }
  if (typeof fields.cwd !== 'string' || fields.cwd === '') {
    return { ok: false, problem: 'the hook JSON has no cwd' };
  }
  return {
    ok: true,
    input: { sessionId: fields.session_id, cwd: fields.cwd, stopHookActive: fields.stop_hook_active === true },
  };
}
