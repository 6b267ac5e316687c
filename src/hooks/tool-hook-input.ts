import { parseHookJson } from './hook-json.ts';

/** The fields of a PreToolUse hook JSON (Claude Code, Codex) that Sluice reads. */
export interface ToolHookInput {
  sessionId: string;
  cwd: string;
  toolName: string;
  toolInput: Record<string, unknown>;
}

export type ToolHookInputResult = { ok: true; input: ToolHookInput } | { ok: false; problem: string };

/** Parse the PreToolUse JSON; garbage is a problem to report, and the caller lets the tool run. */
export function parseToolHookInput(text: string): ToolHookInputResult {
  const parsed = parseHookJson(text, 'PreToolUse hook');
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  if (typeof fields.cwd !== 'string' || fields.cwd === '') return { ok: false, problem: 'the hook JSON has no cwd' };
  if (typeof fields.tool_name !== 'string') return { ok: false, problem: 'the hook JSON has no tool_name' };
  const toolInput = fields.tool_input;
  return {
    ok: true,
    input: {
      sessionId: typeof fields.session_id === 'string' && fields.session_id !== '' ? fields.session_id : 'unknown',
      cwd: fields.cwd,
      toolName: fields.tool_name,
      toolInput: typeof toolInput === 'object' && toolInput !== null ? (toolInput as Record<string, unknown>) : {},
    },
  };
}
