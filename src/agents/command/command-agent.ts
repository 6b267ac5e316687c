import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ProcessResult, runProcess } from '../../process/run-process.ts';
import { bubblewrapReport, confineCommand } from '../../process/sandbox/confine.ts';
import { defaultSandboxPolicy, type SandboxPolicy, type SandboxReport } from '../../process/sandbox/sandbox-policy.ts';
import type { ModelUsage } from '../../usage/model-usage.ts';
import type { AgentAdapter, AgentTurn, AgentTurnResult } from '../agent-adapter.ts';
import { parseUsageLine } from './usage-line.ts';

export const promptDeliveries = ['argument', 'stdin', 'file'] as const;
export type PromptDelivery = (typeof promptDeliveries)[number];

export interface CommandAgentOptions {
  /**
   * Shell command. With `argument`, `{prompt}` in it becomes the prompt (passed through the environment,
   * so no quoting can break it); with `file`, `{prompt_file}` becomes the path of a file holding it.
   */
  command: string;
  promptVia: PromptDelivery;
  env?: Record<string, string>;
  /**
   * Where the agent may write. Default `auto`: inside bubblewrap when the machine has it (writable: the
   * worktree, what its own `git commit` needs, a private TMPDIR, `writablePaths`), else unconfined.
   */
  sandbox?: SandboxPolicy;
}

/**
 * Any agent CLI (aider, opencode, gemini, a script): the prompt goes in by argument, stdin or file.
 * It reports usage only if it prints `SLUICE_USAGE {json}` lines; otherwise its usage is unknown.
 */
export class CommandAgent implements AgentAdapter {
  readonly name = 'command';
  readonly #options: CommandAgentOptions;

  constructor(options: CommandAgentOptions) {
    if (options.promptVia === 'argument' && !options.command.includes('{prompt}')) {
      throw new TypeError('a command agent with the prompt as argument needs {prompt} in its command');
    }
    this.#options = options;
  }

  /** How this agent gets its prompt. */
  get promptVia(): PromptDelivery {
    return this.#options.promptVia;
  }

  sandboxReport(): SandboxReport {
    return bubblewrapReport(this.#options.sandbox ?? defaultSandboxPolicy);
  }

  async runTurn(turn: AgentTurn): Promise<AgentTurnResult> {
    const promptFile = join(dirname(turn.logPath), 'prompt.md');
    if (this.#options.promptVia === 'file') {
      await mkdir(dirname(promptFile), { recursive: true });
      await writeFile(promptFile, turn.prompt);
    }
    const command = this.#options.command
      .replaceAll('{prompt}', '"$SLUICE_PROMPT"')
      .replaceAll('{prompt_file}', '"$SLUICE_PROMPT_FILE"');
    const usage = new Map<string, ModelUsage>();
    // The prompt file lives beside the log, outside the worktree: readable in the sandbox, not writable.
    const confined = confineCommand(this.#options.sandbox ?? defaultSandboxPolicy, turn.cwd, {
      file: '/bin/sh',
      args: ['-c', command],
    });
    const outcome = await runProcess({
      command: { file: confined.file, args: confined.args },
      cwd: turn.cwd,
      env: {
        ...this.#options.env,
        ...turn.env,
        ...confined.env,
        ...(this.#options.promptVia === 'argument' ? { SLUICE_PROMPT: turn.prompt } : {}),
        ...(this.#options.promptVia === 'file' ? { SLUICE_PROMPT_FILE: promptFile } : {}),
        ...(turn.model ? { SLUICE_MODEL: turn.model } : {}),
      },
      timeoutMs: turn.timeoutMs,
      outputPath: turn.logPath,
      // Nothing the agent started may outlive its turn and touch the tree while the gates judge it.
      contain: true,
      ...(this.#options.promptVia === 'stdin' ? { input: turn.prompt } : {}),
      onStdoutLine: (line) => {
        const reported = parseUsageLine(line);
        if (!reported) return;
        usage.set(reported.model, reported);
        turn.onUsage?.([...usage.values()]);
      },
      ...(turn.signal ? { signal: turn.signal } : {}),
      ...(turn.onProcessStart ? { onStart: turn.onProcessStart } : {}),
    }).finally(confined.cleanup);
    return {
      ...turnStatus(outcome),
      usage: [...usage.values()],
      durationMs: outcome.durationMs,
      sandbox: confined.report,
    };
  }
}

function turnStatus(outcome: ProcessResult): Pick<AgentTurnResult, 'status' | 'exitCode' | 'reason'> {
  switch (outcome.status) {
    case 'exited':
      return outcome.exitCode === 0
        ? { status: 'finished', exitCode: 0 }
        : { status: 'failed', exitCode: outcome.exitCode, reason: `the agent exited with ${outcome.exitCode}` };
    case 'signalled':
      return { status: 'failed', reason: `the agent was killed by ${outcome.signal}` };
    case 'timed-out':
      return { status: 'timed-out', reason: 'the agent ran past its turn time limit' };
    case 'cancelled':
      return { status: 'killed', reason: 'stopped by Sluice' };
    case 'spawn-failed':
      return { status: 'failed', reason: `the agent could not start: ${outcome.message}` };
  }
}
