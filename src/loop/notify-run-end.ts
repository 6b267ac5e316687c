import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { NotifyConfig } from '../config/run-schema.ts';
import { runProcess } from '../process/run-process.ts';

/** What a notification says about a finished run. */
export interface RunEndNotice {
  runId: string;
  goal: string;
  verdict: string;
  reason?: string;
  iterations: number;
  costUsd: number | null;
  reportPath?: string;
}

/** One line a person reads at a glance: "Sluice run 2026…: done after 3 iterations ($0.42) — goal". */
export function describeRunEnd(notice: RunEndNotice): string {
  const cost = notice.costUsd === null ? 'cost unknown' : `$${notice.costUsd.toFixed(2)}`;
  const reason = notice.reason ? `: ${notice.reason}` : '';
  return `Sluice run ${notice.runId}: ${notice.verdict}${reason} after ${notice.iterations} iteration${notice.iterations === 1 ? '' : 's'} (${cost}) — ${notice.goal}`;
}

/**
 * Tell whoever asked (webhook, command, desktop) that a run ended. Notifying never fails a run:
 * each channel's problem is returned as a line for the run's record.
 */
export async function notifyRunEnd(
  config: NotifyConfig | undefined,
  notice: RunEndNotice,
  /** Where the notify command's output is kept (the run's folder). */
  logDir: string,
): Promise<string[]> {
  if (!config) return [];
  const text = describeRunEnd(notice);
  const problems: string[] = [];
  if (config.webhook) {
    try {
      const response = await fetch(config.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, sluice: notice }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) problems.push(`webhook answered ${response.status}`);
    } catch (error) {
      problems.push(`webhook failed: ${(error as Error).message}`);
    }
  }
  if (config.command) {
    const result = await runProcess({
      command: config.command,
      cwd: process.cwd(),
      env: {
        SLUICE_RUN_ID: notice.runId,
        SLUICE_RUN_VERDICT: notice.verdict,
        SLUICE_RUN_REASON: notice.reason ?? '',
        SLUICE_RUN_GOAL: notice.goal,
        SLUICE_RUN_TEXT: text,
        SLUICE_RUN_REPORT: notice.reportPath ?? '',
      },
      timeoutMs: 30_000,
      outputPath: join(logDir, 'notify.log'),
    });
    if (result.status !== 'exited' || result.exitCode !== 0) problems.push(`notify command ended ${result.status}`);
  }
  if (config.desktop) {
    const desktop = desktopCommand(text);
    if (!desktop) problems.push('no desktop notifier found (notify-send or osascript)');
    else
      await runProcess({
        command: desktop,
        cwd: process.cwd(),
        timeoutMs: 10_000,
        outputPath: join(logDir, 'notify-desktop.log'),
      });
  }
  return problems;
}

function desktopCommand(text: string): { file: string; args: string[] } | undefined {
  const notifySend = onPath('notify-send');
  if (notifySend) return { file: notifySend, args: ['Sluice', text] };
  const osascript = onPath('osascript');
  if (osascript)
    return { file: osascript, args: ['-e', `display notification ${JSON.stringify(text)} with title "Sluice"`] };
  return undefined;
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate));
}
