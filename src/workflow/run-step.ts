import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../process/run-process.ts';
import { StepError } from './step-error.ts';
import { keptStdout, parseOutputsFile } from './step-outputs.ts';

export interface ShellStepInput {
  command: string;
  /** Absolute folder to run in. */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Where the log and the outputs file of this attempt go. */
  logPath: string;
  outputsPath: string;
  signal: AbortSignal;
}

export interface ShellStepResult {
  passed: boolean;
  outputs: Record<string, string>;
  /** Why it failed, in a few words. */
  reason?: string;
}

/**
 * Run a `run:` command in its own contained process group. Its outputs are what it wrote to
 * $SLUICE_OUTPUTS, plus `exit_code` and `stdout` (which the step cannot forge: Sluice sets them last).
 */
export async function runShellStep(input: ShellStepInput): Promise<ShellStepResult> {
  await writeFile(input.outputsPath, '');
  let stdout = '';
  const result = await runProcess({
    command: input.command,
    cwd: input.cwd,
    env: { ...input.env, ...sluiceCommandEnv(), SLUICE_OUTPUTS: input.outputsPath },
    timeoutMs: input.timeoutMs,
    outputPath: input.logPath,
    signal: input.signal,
    contain: true,
    onStdoutLine: (line) => {
      stdout += `${line}\n`;
      if (stdout.length > 4 * 16_384) stdout = stdout.slice(-2 * 16_384);
    },
  });
  const written = parseOutputsFile(await readFile(input.outputsPath, 'utf8').catch(() => ''));
  const exitCode = result.status === 'exited' ? result.exitCode : -1;
  const outputs = { ...written, exit_code: String(exitCode), stdout: keptStdout(stdout) };
  if (result.status === 'exited' && result.exitCode === 0) return { passed: true, outputs };
  const reason =
    result.status === 'exited'
      ? `exited with ${result.exitCode} (log: ${input.logPath})`
      : result.status === 'timed-out'
        ? `timed out after ${Math.round(input.timeoutMs / 1000)}s`
        : result.status === 'signalled'
          ? `killed by ${result.signal}`
          : result.status === 'cancelled'
            ? 'cancelled'
            : `could not start: ${result.message}`;
  return { passed: false, outputs, reason };
}

/**
 * How a step's command calls this Sluice: \`"$SLUICE_NODE" "$SLUICE_CLI" <command>\` (e.g. \`plan check\`),
 * whatever is on PATH.
 */
export function sluiceCommandEnv(): Record<string, string> {
  return {
    SLUICE_NODE: process.execPath,
    SLUICE_CLI: fileURLToPath(new URL('../../bin/sluice.js', import.meta.url)),
  };
}

/** The folder of a step: `cwd` inside the repository, never outside it. */
export function stepFolder(repoRoot: string, cwd: string | undefined): string {
  const folder = resolve(repoRoot, cwd ?? '.');
  if (folder !== repoRoot && !folder.startsWith(`${repoRoot}/`)) {
    throw new StepError(`cwd "${cwd}" is outside the repository`);
  }
  return folder;
}

/** `.sluice/workflow-runs/<id>/` beside sluice.yaml: logs and outputs files of a workflow run. */
export function workflowRunDir(configRoot: string, workflowId: string): string {
  return join(configRoot, '.sluice', 'workflow-runs', workflowId);
}
