import { pathToFileURL } from 'node:url';
import type { ProcessResult } from '../../process/run-process.ts';
import type { GateResult } from '../gate-results.ts';
import type { Failure } from '../reports/report-types.ts';
import { stripAnsi } from '../reports/text-lines.ts';
import type { HarnessReport } from './browser-job.ts';

/** What the harness run says about the gate (everything but the fields every gate result shares). */
export type BrowserVerdict = Pick<GateResult, 'status' | 'reason' | 'failures' | 'screenshotPath' | 'outputTail'>;

export interface BrowserRun {
  outcome: ProcessResult;
  /** The harness's last report; undefined when it wrote none (it crashed before it could). */
  report: HarnessReport | undefined;
  /** The user's script: absolute, and as the feedback names it. */
  script: { path: string; shown: string };
  timeoutMs: number;
  /** Turn an absolute path into one relative to the config folder. */
  relativePath: (path: string) => string;
  /** The harness's log (its output and Node's). */
  readLog: () => Promise<string>;
}

/** Passed, failed in a step (with its error, line and screenshot), timed out in a step, or crashed. */
export async function judgeBrowserRun(run: BrowserRun): Promise<BrowserVerdict> {
  const { outcome, report } = run;
  switch (outcome.status) {
    case 'timed-out': {
      const where = report?.outcome === 'running' && report.step ? ` in step "${report.step}"` : '';
      const after = formatSeconds(run.timeoutMs);
      return { status: 'timed-out', reason: `timed out after ${after}${where}; Chromium was killed`, failures: [] };
    }
    case 'cancelled':
      return { status: 'skipped', reason: 'cancelled', failures: [] };
    case 'spawn-failed':
      return { status: 'failed', reason: `could not start the browser harness: ${outcome.message}`, failures: [] };
    case 'signalled':
    case 'exited':
      break;
  }
  if (report?.outcome === 'passed' && outcome.status === 'exited' && outcome.exitCode === 0) {
    return { status: 'passed', failures: [] };
  }
  if (report?.outcome !== 'failed') {
    const how =
      outcome.status === 'signalled' ? `was killed by ${outcome.signal}` : `crashed (exit ${outcome.exitCode})`;
    const outputTail = (await run.readLog()).trimEnd().split('\n').slice(-logTailLines);
    return { status: 'failed', reason: `the browser harness ${how}`, failures: [], outputTail };
  }
  const screenshot = report.screenshot ? run.relativePath(report.screenshot) : undefined;
  // A syntax error's stack has no place in the script; Node printed it to the log.
  const location =
    locateInScript(report.stack, run.script.path) ??
    (report.phase === 'load' ? locateInScript(await run.readLog(), run.script.path) : undefined);
  const failure: Failure = {
    test: report.step ?? phaseLabels[report.phase],
    message: [...errorLines(report.error), ...(screenshot ? [`screenshot: ${screenshot}`] : [])].join('\n'),
    ...(location ? { file: run.script.shown, ...location } : {}),
  };
  return {
    status: 'failed',
    reason: report.step ? `step "${report.step}" failed` : `${phaseLabels[report.phase]} failed`,
    failures: [failure],
    ...(screenshot ? { screenshotPath: screenshot } : {}),
  };
}

const phaseLabels = {
  launch: 'launching Chromium',
  load: 'loading the script',
  script: 'the script (outside any step)',
} as const;

const maxErrorLines = 2;
const logTailLines = 20;

/** The lines of a Playwright error that say what went wrong, without its log banners and colors. */
export function errorLines(message: string): string[] {
  return stripAnsi(message)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'Call log:' && !/^=+( .* =+)?$/.test(line))
    .slice(0, maxErrorLines);
}

/** The first frame of a stack in the user's script (`file:///…/cart.mjs:12:7`, or a plain path). */
export function locateInScript(stack: string, script: string): { line: number; column?: number } | undefined {
  for (const prefix of [pathToFileURL(script).href, script]) {
    const at = stack.indexOf(`${prefix}:`);
    if (at === -1) continue;
    // A syntax error names only the line.
    const match = /^:(\d+)(?::(\d+))?/.exec(stack.slice(at + prefix.length));
    if (match) return { line: Number(match[1]), ...(match[2] ? { column: Number(match[2]) } : {}) };
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
