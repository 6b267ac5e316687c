import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { UsageError } from '../../errors.ts';
import { declareCommand } from '../declare-command.ts';
import { writeError } from '../output/write.ts';
import { withInterruptSignal } from './interrupt.ts';

/** Claude Code's code for "blocked: feed stderr to the model". */
const blockExitCode = 2;

/** `sluice hook <event>`: hook JSON on stdin -> handler -> the agent's protocol (exit code + stderr). */
export const command = declareCommand({
  name: 'hook',
  description: `Handlers for the hooks of Claude Code and Codex; each reads the hook JSON on stdin (sluice hook stop < hook.json).

  stop           Guard the change since the session began (weakened tests, protected files), then
                 run the gates of the project's sluice.yaml (found from CLAUDE_PROJECT_DIR under
                 Claude Code, else from the hook's cwd; an unchanged tree answers from the cache).
                 Block the stop with the compact feedback while either fails.
  pre-tool-use   Deny Write/Edit of protected files (sluice.yaml, CI config, guard.protect,
                 existing test files) with what to do instead; best effort on shell commands.

The flags are those of stop.`,
  flags: {
    'max-blocks': {
      type: 'whole',
      min: 0,
      description:
        'Blocks in a row per session before the agent may stop anyway, recorded as not done in its session record, kept in ~/.local/state/sluice/hook-sessions (default 8)',
    },
    config: {
      type: 'string',
      placeholder: 'file',
      description:
        "Judge with this config instead of the sluice.yaml found from the cwd (sluice run --session passes its base commit's gates this way)",
    },
    root: {
      type: 'string',
      placeholder: 'dir',
      description: "With --config: the folder the gates run in (default: the hook's cwd)",
    },
    base: {
      type: 'string',
      placeholder: 'ref',
      description: "Measure the change from this ref (default: HEAD when the session's hooks first ran)",
    },
  },
  positionals: { placeholder: 'event', description: 'stop | pre-tool-use' },
  notes:
    'Install them with "sluice hooks install --claude" (or --codex).\nExit: 0 let the agent go on (stop, or use the tool), 2 refuse (the reason is on stderr).',
  async run(values, positionals) {
    const [event, ...extra] = positionals;
    if ((event !== 'stop' && event !== 'pre-tool-use') || extra.length > 0) {
      throw new UsageError(
        `expected "sluice hook stop" or "sluice hook pre-tool-use", got "sluice hook ${positionals.join(' ')}"`,
      );
    }
    if (event === 'pre-tool-use') return preToolUse(await readStdin());
    const maxBlocks = values['max-blocks'];

    // Parse first and load the gate machinery only for real input: garbage answers fast.
    const { parseStopHookInput } = await import('../../hooks/stop-hook-input.ts');
    const parsed = parseStopHookInput(await readStdin());
    if (!parsed.ok) {
      writeError(`sluice hook stop: ${parsed.problem}; letting the agent stop`);
      return 0;
    }
    const { runStopHook } = await import('../../hooks/stop-hook.ts');
    const outcome = await withInterruptSignal((signal) =>
      runStopHook(parsed.input, {
        signal,
        ...agentProject(),
        ...(maxBlocks !== undefined ? { maxBlocks } : {}),
        ...(values.base ? { base: values.base } : {}),
        ...(values.config
          ? { judge: { configPath: resolve(values.config), root: resolve(values.root ?? parsed.input.cwd) } }
          : {}),
      }),
    );
    switch (outcome.decision) {
      case 'ignored':
        writeError(`sluice hook stop: ${outcome.note}; letting the agent stop`);
        return 0;
      case 'allowed':
        return 0;
      case 'blocked':
        writeError(
          `Sluice: the work is not done; a blocking gate fails. Fix it, then stop again (block ${outcome.blocks} of ${outcome.maxBlocks}).\n${outcome.feedback}`,
        );
        return blockExitCode;
      case 'capped':
        writeError(
          `sluice hook stop: letting the agent stop, but the session is NOT done: ${outcome.reason}; recorded in ${outcome.sessionPath}`,
        );
        return 0;
    }
  },
});

export const run = command.run;

/** PreToolUse: exit 2 with the reason on stderr denies the tool call in both Claude Code and Codex. */
async function preToolUse(stdin: string): Promise<number> {
  const { parseToolHookInput } = await import('../../hooks/tool-hook-input.ts');
  const parsed = parseToolHookInput(stdin);
  if (!parsed.ok) {
    writeError(`sluice hook pre-tool-use: ${parsed.problem}; letting the tool run`);
    return 0;
  }
  const { runPreToolUse } = await import('../../hooks/pre-tool-use.ts');
  const outcome = await runPreToolUse(parsed.input, agentProject());
  if (outcome.decision === 'allow') {
    if (outcome.note) writeError(`sluice hook pre-tool-use: ${outcome.note}; letting the tool run`);
    return 0;
  }
  writeError(outcome.reason);
  return blockExitCode;
}

/**
 * The project whose hooks these are, as Claude Code tells every hook (CLAUDE_PROJECT_DIR; the agent's shell
 * cannot change a hook's environment). The hook JSON's cwd is only where the agent's shell stands now.
 */
function agentProject(): { projectDir?: string } {
  const dir = process.env.CLAUDE_PROJECT_DIR;
  return dir && isAbsolute(dir) ? { projectDir: dir } : {};
}

async function readStdin(): Promise<string> {
  // Not `process.stdin.isTTY`: making that stream costs every hook call a few modules and milliseconds.
  if (isatty(0)) return '';
  try {
    // The hook's JSON comes on a pipe the agent closes (or from a file): read at once, no stream.
    return readFileSync(0, 'utf8');
  } catch {
    // A non-blocking descriptor (EAGAIN) or an odd one: the stream reads it as before.
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
