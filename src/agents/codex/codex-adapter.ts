import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../process/run-process.ts';
import { defaultSandboxPolicy, type SandboxPolicy } from '../../process/sandbox/sandbox-policy.ts';
import type { ModelUsage } from '../../usage/model-usage.ts';
import { type PriceTable, priceTable, withCost } from '../../usage/pricing.ts';
import type { AgentAdapter, AgentTurn, AgentTurnResult } from '../agent-adapter.ts';
import { type CodexProvider, codexArgs, resolveCodexBinary } from './codex-command.ts';
import { parseCodexEvent } from './codex-events.ts';
import { type CodexTurnSandbox, codexSandboxReport, codexTurnSandbox } from './codex-sandbox.ts';
import {
  type CodexSessionSnapshot,
  codexHomeFor,
  emptySessionSnapshot,
  findSessionFile,
  readSessionSnapshot,
} from './codex-session.ts';
import { applyCodexEvent, type CodexStreamState, decideOutcome, initialStreamState } from './codex-turn-state.ts';
import { codexTokensSince, codexTokenTotal, noCodexTokens, toModelUsage } from './codex-usage.ts';

export interface CodexAdapterOptions {
  /** The codex executable; default: the native binary of the installed `@openai/codex`, else `codex` on PATH. */
  binary?: string;
  /** The model when the turn names none; without either, Codex's own default (named from its session file). */
  model?: string;
  /** A custom Responses API endpoint instead of OpenAI's; the key is read from `provider.envKey`. */
  provider?: CodexProvider;
  /** CODEX_HOME (config, sessions, logs) for every turn, unless the turn's env sets its own. */
  codexHome?: string;
  /** Prices to cost usage with; default: the built-in table. */
  prices?: PriceTable;
  /**
   * Where the agent may write. Default `auto`: Codex's own `workspace-write` sandbox when it starts here (the
   * worktree, what its own `git commit` needs, a private TMPDIR, `writablePaths`), else no sandbox.
   */
  sandbox?: SandboxPolicy;
}

/** The adapter for OpenAI's Codex CLI (`codex exec --json`). */
export function createCodexAdapter(options: CodexAdapterOptions = {}): AgentAdapter {
  // A bad provider is a config error: say so now, not in the middle of a run.
  if (options.provider) codexArgs({ provider: options.provider });
  const binaryOf = () => options.binary ?? resolveCodexBinary() ?? 'codex';
  return {
    name: 'codex',
    runTurn: (turn) => runCodexTurn(options, turn),
    sandboxReport: () => codexSandboxReport(binaryOf(), options.sandbox ?? defaultSandboxPolicy),
  };
}

async function runCodexTurn(options: CodexAdapterOptions, turn: AgentTurn): Promise<AgentTurnResult> {
  const binary = options.binary ?? resolveCodexBinary() ?? 'codex';
  const model = turn.model ?? options.model;
  const policy = options.sandbox ?? defaultSandboxPolicy;
  const report = codexSandboxReport(binary, policy);
  const sandbox: CodexTurnSandbox | undefined =
    report.kind === 'codex-sandbox' ? codexTurnSandbox(turn.cwd, policy) : undefined;
  const schema = turn.outputSchema ? outputSchemaFile(turn.outputSchema) : undefined;
  try {
    return {
      ...(await runSandboxedCodexTurn(options, turn, binary, model, sandbox, schema?.path)),
      sandbox: sandbox?.report ?? report,
    };
  } finally {
    sandbox?.cleanup();
    schema?.remove();
  }
}

/**
 * The turn's output schema as a file for `--output-schema`: in a folder of its own under the system's
 * temp folder, never in the worktree (the agent could edit it, and it would show in the diff).
 */
function outputSchemaFile(schema: Record<string, unknown>): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-codex-schema-'));
  const path = join(dir, 'output-schema.json');
  writeFileSync(path, JSON.stringify(schema));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function runSandboxedCodexTurn(
  options: CodexAdapterOptions,
  turn: AgentTurn,
  binary: string,
  model: string | undefined,
  sandbox: CodexTurnSandbox | undefined,
  outputSchemaPath: string | undefined,
): Promise<AgentTurnResult> {
  let args: string[];
  try {
    args = codexArgs({
      model,
      sessionId: turn.sessionId,
      provider: options.provider,
      ...(outputSchemaPath ? { outputSchemaPath } : {}),
      ...(sandbox ? { sandbox: { writableRoots: sandbox.writableRoots } } : {}),
    });
  } catch (error) {
    return { status: 'failed', reason: (error as Error).message, usage: [], durationMs: 0 };
  }
  const codexHome = codexHomeFor(turn.env, options.codexHome);
  // A resumed thread reports its running total: what it had before this turn is not this turn's usage.
  const before = turn.sessionId ? (sessionSnapshot(codexHome, turn.sessionId) ?? emptySessionSnapshot) : undefined;
  const tally: TallyContext = {
    model,
    codexHome,
    before,
    prices: options.prices ?? priceTable(),
    resumedId: turn.sessionId,
  };

  let state = initialStreamState;
  const result = await runProcess({
    command: { file: binary, args },
    cwd: turn.cwd,
    // The private TMPDIR wins over the turn's: it is the only temp folder the sandbox lets Codex write.
    env: { ...(options.codexHome !== undefined && { CODEX_HOME: options.codexHome }), ...turn.env, ...sandbox?.env },
    timeoutMs: turn.timeoutMs,
    outputPath: turn.logPath,
    // Nothing the agent started may outlive its turn and touch the tree while the gates judge it.
    contain: true,
    input: turn.prompt,
    signal: turn.signal,
    onStdoutLine: (line) => {
      const event = parseCodexEvent(line);
      if (!event) return;
      state = applyCodexEvent(state, event);
      if (event.type === 'turn.completed') turn.onUsage?.(turnUsage(tally, state));
    },
  });

  const outcome = decideOutcome(result, state, { timeoutMs: turn.timeoutMs, signal: turn.signal, binary });
  const sessionId = state.threadId ?? turn.sessionId;
  return {
    ...outcome,
    usage: turnUsage(tally, state),
    ...(sessionId !== undefined && { sessionId }),
    ...(state.finalMessage !== undefined && { finalMessage: state.finalMessage }),
    durationMs: result.durationMs,
  };
}

interface TallyContext {
  model: string | undefined;
  codexHome: string;
  /** The session before this turn (resumed), or undefined for a new one. */
  before: CodexSessionSnapshot | undefined;
  prices: PriceTable;
  resumedId: string | undefined;
}

/** This turn's usage: from Codex's session file when it has it, else from the turn.completed events. */
function turnUsage(context: TallyContext, state: CodexStreamState): ModelUsage[] {
  const { model, codexHome, prices } = context;
  const before = context.before ?? emptySessionSnapshot;
  const sessionId = state.threadId ?? context.resumedId;
  const after = sessionId === undefined ? undefined : sessionSnapshot(codexHome, sessionId);
  const fromEvents = state.lastTotal ? codexTokensSince(state.lastTotal, before.usage) : noCodexTokens;
  const fromFile = after && codexTokensSince(after.usage, before.usage);
  // The file also holds requests of a turn cut short; the events win if the file lags or its format changed.
  const useFile = fromFile !== undefined && codexTokenTotal(fromFile) >= codexTokenTotal(fromEvents);
  const tokens = useFile ? fromFile : fromEvents;
  // Model requests when the file tells them; else completed Codex turns, the closest the events come.
  const turns = useFile && after ? after.requests - before.requests : state.completedTurns;
  if (turns === 0 && codexTokenTotal(tokens) === 0) return [];
  const name = model ?? after?.model ?? 'unknown';
  return [withCost(toModelUsage(name, tokens, turns), prices)];
}

function sessionSnapshot(codexHome: string, sessionId: string): CodexSessionSnapshot | undefined {
  const file = findSessionFile(codexHome, sessionId);
  return file === undefined ? undefined : readSessionSnapshot(file);
}
