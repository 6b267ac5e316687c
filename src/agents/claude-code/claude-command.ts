import type { SandboxPolicy } from '../../process/sandbox/sandbox-policy.ts';
import type { PriceTable } from '../../usage/pricing.ts';
import type { AgentTurn } from '../agent-adapter.ts';
import { type ClaudeTurnSandbox, fileEditTools, sandboxedAllowedTools } from './claude-sandbox.ts';

export interface ClaudeCodeOptions {
  /** The `claude` executable; default: the platform binary next to an installed `@anthropic-ai/claude-code`, else `claude` on PATH. */
  binaryPath?: string;
  /**
   * Tools that may run without a prompt (`--allowedTools`). Without it, every permission check is
   * skipped (`--dangerously-skip-permissions`, plus `IS_SANDBOX=1` when running as root, which
   * Claude Code requires for that flag) — unless the turn is sandboxed: then permission mode
   * `acceptEdits` allows edits in the worktree only, and unscoped Write/Edit entries are dropped.
   */
  allowedTools?: string[];
  /**
   * Where the agent may write. Default `auto`: Claude Code's sandbox for Bash plus `acceptEdits` for its
   * file tools when bubblewrap and socat are here, else unconfined.
   */
  sandbox?: SandboxPolicy;
  /** A settings file or JSON (`--settings`), merged with the repository's: how hooks are injected. */
  settingsPath?: string;
  /** More CLI flags, placed before the prompt. Never `--bare`: it turns off the hooks gates rely on. */
  extraArgs?: string[];
  /** Environment for every turn; a turn's own `env` wins. */
  env?: Record<string, string>;
  /**
   * How long Claude Code may stay idle after its result before the turn is ended (default 3000 ms).
   * With a background command still running it does not exit: it waits to wake the model when the
   * command ends, so a dev server left running would hold the turn until its time limit.
   */
  idleAfterResultMs?: number;
  /**
   * Prices for the usage Claude Code has not costed: the running usage of a turn in progress (it
   * reports cost only in its result), a turn stopped before its result, a model it has no price
   * for. Default: the built-in table.
   */
  prices?: PriceTable;
}

export interface ClaudeCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** Tools whose calls Sluice's PreToolUse hook looks at: the file writers and the shell. */
export const guardedToolsMatcher = 'Write|Edit|MultiEdit|NotebookEdit|Bash';

/**
 * `--settings`: inline JSON with the turn's hooks (merged with the repository's settings by Claude Code),
 * else the configured file.
 */
function settingsArgs(turn: AgentTurn, options: ClaudeCodeOptions, sandbox: ClaudeTurnSandbox | undefined): string[] {
  const hooks: Record<string, unknown[]> = {};
  if (turn.stopHookCommand) hooks.Stop = [{ hooks: [{ type: 'command', command: turn.stopHookCommand }] }];
  if (turn.preToolUseCommand) {
    hooks.PreToolUse = [
      { matcher: guardedToolsMatcher, hooks: [{ type: 'command', command: turn.preToolUseCommand }] },
    ];
  }
  const inline = {
    ...(Object.keys(hooks).length > 0 ? { hooks } : {}),
    ...(sandbox ? { sandbox: sandbox.settings } : {}),
  };
  if (Object.keys(inline).length > 0) return ['--settings', JSON.stringify(inline)];
  return options.settingsPath ? ['--settings', options.settingsPath] : [];
}

/**
 * The exact argv and env of one headless turn: `claude -p --output-format stream-json --verbose
 * --include-partial-messages <permissions> [--model m] [--resume id] [--settings s] -- <prompt>`.
 * The prompt comes last, after `--`, so a prompt that starts with `-` is not read as a flag.
 */
export function buildClaudeCommand(
  turn: AgentTurn,
  options: ClaudeCodeOptions,
  binary: string,
  isRoot: boolean = process.getuid?.() === 0,
  sandbox?: ClaudeTurnSandbox,
): ClaudeCommand {
  const skipPermissions = options.allowedTools === undefined && sandbox === undefined;
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    // Raw API events, so output tokens count while a message streams, not only at the end.
    '--include-partial-messages',
    ...(sandbox ? sandboxedPermissionArgs(options, sandbox) : []),
    ...(skipPermissions ? ['--dangerously-skip-permissions'] : []),
    ...(!sandbox && !skipPermissions ? ['--allowedTools', (options.allowedTools ?? []).join(',')] : []),
    ...(turn.model ? ['--model', turn.model] : []),
    ...(turn.sessionId ? ['--resume', turn.sessionId] : []),
    ...(turn.outputSchema ? ['--json-schema', JSON.stringify(turn.outputSchema)] : []),
    ...settingsArgs(turn, options, sandbox),
    ...(options.extraArgs ?? []),
    '--',
    turn.prompt,
  ];
  const env = {
    ...(skipPermissions && isRoot ? { IS_SANDBOX: '1' } : {}),
    ...options.env,
    ...turn.env,
  };
  return { file: binary, args, env };
}

/**
 * A sandboxed turn never skips permission checks (that would let Write/Edit change any file): `acceptEdits`
 * allows edits inside the worktree and the `--add-dir` folders, the allow-list the rest; a write elsewhere
 * would need a prompt, which headless mode answers with a refusal.
 */
function sandboxedPermissionArgs(options: ClaudeCodeOptions, sandbox: ClaudeTurnSandbox): string[] {
  const tools = (options.allowedTools ?? sandboxedAllowedTools).filter((tool) => !fileEditTools.has(tool.trim()));
  return [
    '--permission-mode',
    'acceptEdits',
    ...(tools.length > 0 ? ['--allowedTools', tools.join(',')] : []),
    ...sandbox.addDirs.flatMap((dir) => ['--add-dir', dir]),
  ];
}
