import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ProcessResult, runProcess } from '../../process/run-process.ts';
import { defaultSandboxPolicy, type SandboxReport } from '../../process/sandbox/sandbox-policy.ts';
import type { ModelUsage } from '../../usage/model-usage.ts';
import { costOf, type PriceTable, pricesFor, priceTable } from '../../usage/pricing.ts';
import type { AgentAdapter, AgentTurn, AgentTurnResult } from '../agent-adapter.ts';
import { resolveClaudeBinary } from './claude-binary.ts';
import { buildClaudeCommand, type ClaudeCodeOptions } from './claude-command.ts';
import { claudeSandboxReport, claudeTurnSandbox } from './claude-sandbox.ts';
import { trackSandboxLitter } from './claude-sandbox-litter.ts';
import { ClaudeStreamReader } from './stream-reader.ts';

/**
 * Claude Code in headless mode (`claude -p --output-format stream-json`): one process per turn,
 * usage reported as it streams, the turn's outcome read from the final `result` event.
 */
export class ClaudeCodeAgent implements AgentAdapter {
  readonly name = 'claude-code';
  readonly #options: ClaudeCodeOptions;
  readonly #prices: PriceTable;
  #binary: string | undefined;

  constructor(options: ClaudeCodeOptions = {}) {
    if (options.extraArgs?.includes('--bare')) {
      throw new TypeError('claude-code: --bare skips every hook, and Sluice gates through hooks; leave it out');
    }
    this.#options = options;
    this.#prices = options.prices ?? priceTable();
  }

  /** The executable this agent runs (resolved once, on first use). */
  get binary(): string {
    this.#binary ??= this.#options.binaryPath ?? resolveClaudeBinary();
    return this.#binary;
  }

  sandboxReport(): SandboxReport {
    return claudeSandboxReport(this.#options.sandbox ?? defaultSandboxPolicy);
  }

  async runTurn(turn: AgentTurn): Promise<AgentTurnResult> {
    const policy = this.#options.sandbox ?? defaultSandboxPolicy;
    const report = claudeSandboxReport(policy);
    const sandbox = report.kind === 'claude-code-sandbox' ? claudeTurnSandbox(turn.cwd, policy) : undefined;
    const command = buildClaudeCommand(turn, this.#options, this.binary, undefined, sandbox);
    const removeLitter = sandbox ? trackSandboxLitter(turn.cwd) : () => {};
    const reader = new ClaudeStreamReader();
    const idle = new IdleStop(this.#options.idleAfterResultMs ?? 3000);
    mkdirSync(dirname(turn.logPath), { recursive: true });
    const outcome = await runProcess({
      command: { file: command.file, args: command.args },
      cwd: turn.cwd,
      env: command.env,
      timeoutMs: turn.timeoutMs,
      outputPath: turn.logPath,
      // Nothing the agent started may outlive its turn and touch the tree while the gates judge it.
      contain: true,
      onStdoutLine: (line) => {
        // Costed from the price table as it streams, so a USD budget can stop a turn that overruns it.
        if (reader.read(line)) turn.onUsage?.(this.#priced(reader.runningUsage()));
        idle.update(reader.idleAfterResult);
      },
      signal: turn.signal ? AbortSignal.any([turn.signal, idle.signal]) : idle.signal,
      ...(turn.onProcessStart ? { onStart: turn.onProcessStart } : {}),
    });
    idle.cancel();
    removeLitter();
    const usage = this.#priced(reader.finalUsage({ resumed: turn.sessionId !== undefined }));
    if (reader.result) turn.onUsage?.(usage);
    const sessionId = reader.sessionId;
    const finalMessage = reader.finalMessage();
    const stoppedIdle = idle.fired && !turn.signal?.aborted;
    return {
      ...(stoppedIdle ? resultStatus(reader) : turnStatus(outcome, reader, turn, command.file)),
      usage,
      ...(sessionId ? { sessionId } : {}),
      ...(finalMessage !== undefined ? { finalMessage } : {}),
      durationMs: outcome.durationMs,
      sandbox: sandbox?.report ?? report,
    };
  }

  /** Claude Code's own cost where it reported one; else the price table's, or null for a model it does not know. */
  #priced(usage: ModelUsage[]): ModelUsage[] {
    return usage.map((entry) =>
      entry.costUsd === null ? { ...entry, costUsd: costOf(entry, pricesFor(entry.model, this.#prices)) } : entry,
    );
  }
}

type TurnStatus = Pick<AgentTurnResult, 'status' | 'exitCode' | 'reason'>;

/** Stops the process once it has sat idle after a result for `ms`; any new model activity re-arms it. */
class IdleStop {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(ms: number) {
    this.#ms = ms;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  update(idle: boolean): void {
    if (idle && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.fired = true;
        this.#controller.abort();
      }, this.#ms);
    } else if (!idle) {
      this.cancel();
    }
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The outcome as the last result event states it (the process was stopped only because it lingered). */
function resultStatus(reader: ClaudeStreamReader): TurnStatus {
  const result = reader.result;
  if (!result) return { status: 'failed', reason: 'Claude Code stopped without a result event' };
  return result.is_error ? { status: 'failed', reason: errorReason(result) } : { status: 'finished' };
}

function turnStatus(outcome: ProcessResult, reader: ClaudeStreamReader, turn: AgentTurn, binary: string): TurnStatus {
  switch (outcome.status) {
    case 'exited': {
      const { exitCode } = outcome;
      const result = reader.result;
      if (result?.is_error) return { status: 'failed', exitCode, reason: errorReason(result) };
      if (!result) {
        const hint = lastLogLine(turn.logPath);
        const why = `Claude Code exited with code ${exitCode} without a result event`;
        return { status: 'failed', exitCode, reason: oneLine(hint ? `${why}: ${hint}` : why) };
      }
      if (exitCode !== 0) return { status: 'failed', exitCode, reason: `Claude Code exited with code ${exitCode}` };
      return { status: 'finished', exitCode };
    }
    case 'signalled':
      return { status: 'failed', reason: `Claude Code was killed by ${outcome.signal}` };
    case 'timed-out':
      return { status: 'timed-out', reason: `Claude Code ran past the turn's ${turn.timeoutMs} ms limit` };
    case 'cancelled':
      return { status: 'killed', reason: 'the turn was aborted' };
    case 'spawn-failed':
      return { status: 'failed', reason: oneLine(`could not start ${binary}: ${outcome.message}`) };
  }
}

/** Why Claude Code says the run failed: its error list, the API error it got, or its result text. */
function errorReason(result: NonNullable<ClaudeStreamReader['result']>): string {
  const detail = result.errors?.[0] ?? result.result ?? result.terminal_reason ?? 'no detail';
  const api = result.api_error_status ? `, API status ${result.api_error_status}` : '';
  return oneLine(`Claude Code reported an error (${result.subtype}${api}): ${detail}`);
}

/** The last non-JSON line of the log (stderr and stdout interleaved): what a CLI that died says last. */
function lastLogLine(logPath: string): string | undefined {
  let log: string;
  try {
    log = readTail(logPath, 16_384);
  } catch {
    return undefined;
  }
  return log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('{'))
    .at(-1);
}

function readTail(path: string, bytes: number): string {
  const file = openSync(path, 'r');
  try {
    const start = Math.max(0, fstatSync(file).size - bytes);
    const buffer = Buffer.alloc(bytes);
    const read = readSync(file, buffer, 0, bytes, start);
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(file);
  }
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
