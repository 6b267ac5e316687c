import { join } from 'node:path';
import {
  type HooksJsonFile,
  type InstallOutcome,
  installHookEntries,
  type UninstallOutcome,
  uninstallHookEntries,
} from './hooks-json.ts';
import { type SluiceInvocation, sluiceAgentHooks } from './sluice-hook-commands.ts';

/*
 * Codex (checked with @openai/codex 0.169.0) reads a project's `.codex/hooks.json` in the same shape as
 * Claude Code's settings: `{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "..."}]}],
 * "PreToolUse": [{"matcher": "<regex on tool_name>", "hooks": [...]}]}}`. It runs those hooks only when the
 * project is trusted (`--trust`, or `trust_level = "trusted"` in config.toml) AND the hooks themselves are
 * trusted: reviewed in the TUI's /hooks (trust is kept per hook hash, so a changed command needs a new
 * review), or `--dangerously-bypass-hook-trust` for automation. Otherwise they are skipped without a word.
 *
 * What Codex writes to a hook's stdin (one JSON object, observed):
 *   Stop: {"session_id":"<uuid>","turn_id":"<uuid>","transcript_path":"<CODEX_HOME>/sessions/…/rollout-….jsonl",
 *     "cwd":"/abs/repo","hook_event_name":"Stop","model":"gpt-5","permission_mode":"bypassPermissions",
 *     "stop_hook_active":false,"last_assistant_message":"done 1"}
 *   (the call after a blocked stop has "stop_hook_active":true; transcript_path and last_assistant_message
 *   may be null.)
 *   PreToolUse: {"session_id":"<uuid>","turn_id":"<uuid>","transcript_path":"…","cwd":"/abs/repo",
 *     "hook_event_name":"PreToolUse","model":"gpt-5","permission_mode":"bypassPermissions",
 *     "tool_name":"Bash","tool_input":{"command":"echo hi > made.txt"},"tool_use_id":"call_1"}
 *   Every shell command, `apply_patch` typed as a shell command included, arrives as tool_name "Bash" with
 *   tool_input.command. Codex's own apply_patch tool (offered to OpenAI's models, not to a custom provider,
 *   so not observed here) arrives, by Codex's source, as tool_name "apply_patch" with the patch text in
 *   tool_input.command, and the matcher aliases Write and Edit select it.
 * So the Stop fields Sluice reads (session_id, cwd, stop_hook_active) are Claude Code's; a PreToolUse
 * handler gets tool_name/tool_input like Claude Code's, with Codex's own tool names.
 * Answers: exit 2 with a reason on stderr blocks; a blocked Stop reaches the model as a user message
 * `<hook_prompt hook_run_id="stop:…">reason</hook_prompt>`, a blocked command as "Command blocked by
 * PreToolUse hook: reason. Command: …".
 */

/** Where a project's Codex hooks live, and where Sluice keeps what the file was before it. */
export function codexHooksFile(projectDir: string): HooksJsonFile {
  return {
    projectDir,
    path: join(projectDir, '.codex', 'hooks.json'),
    beforePath: join(projectDir, '.sluice', 'codex-hooks.before.json'),
  };
}

/** Add Sluice's Stop and PreToolUse hooks to `.codex/hooks.json`, keeping the user's; idempotent. */
export function installCodexHooks(projectDir: string, invocation: SluiceInvocation): Promise<InstallOutcome> {
  return installHookEntries(codexHooksFile(projectDir), sluiceAgentHooks(invocation));
}

/** Remove Sluice's hooks: the file comes back byte for byte, or goes (with `.codex/`) if Sluice created it. */
export function uninstallCodexHooks(projectDir: string): Promise<UninstallOutcome> {
  return uninstallHookEntries(codexHooksFile(projectDir));
}
