import { constants, existsSync } from 'node:fs';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monotonicNow } from '../../clock.ts';
import type { GateConfig } from '../../config/schema.ts';
import { runProcess } from '../../process/run-process.ts';
import { describeGate, type GateResult } from '../gate-results.ts';
import type { BrowserJob, HarnessReport } from './browser-job.ts';
import { judgeBrowserRun } from './judge-browser-run.ts';

/** What a browser gate needs of the check (a GateRunContext fits; importing it would make a cycle with run-gate). */
export interface BrowserGateContext {
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root. */
  sluiceDir: string;
  signal?: AbortSignal;
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** Run the gate's Playwright script against Chromium; a failure names its step and a screenshot. */
export async function runBrowserGate(name: string, gate: GateConfig, context: BrowserGateContext): Promise<GateResult> {
  const started = monotonicNow();
  const cwd = resolve(context.root, gate.cwd);
  const logFile = join(context.sluiceDir, 'logs', `${name}.log`);
  const shown = (path: string) => relative(context.root, path);
  const base = () => ({
    ...describeGate(name, gate),
    durationMs: Math.round(monotonicNow() - started),
    logPath: shown(logFile),
    problems: [],
  });
  const fail = async (reason: string, message: string): Promise<GateResult> => {
    await writeFile(logFile, `${message}\n`);
    return { ...base(), status: 'failed', reason, failures: [{ message }] };
  };

  if (!gate.browser) return fail('no browser block', 'a browser gate needs a `browser` block');
  const script = resolve(cwd, gate.browser.script);
  const executable = resolve(cwd, gate.browser.executable);
  if (!existsSync(script)) return fail('script not found', `browser script ${shown(script)} does not exist`);
  if (!(await isExecutable(executable))) {
    return fail(
      `Chromium not found at ${executable}`,
      `Chromium not found at ${executable}: install it (apt-get install chromium) or set browser.executable`,
    );
  }

  const workDir = join(context.sluiceDir, 'browser');
  const resultPath = join(workDir, `${name}.result.json`);
  const job: BrowserJob = {
    script,
    ...(gate.browser.url ? { baseURL: gate.browser.url } : {}),
    executable,
    screenshotPath: join(context.sluiceDir, 'screenshots', `${name}.png`),
    resultPath,
    actionTimeoutMs: actionTimeout(gate.timeout),
  };
  // Last run's answer and screenshot must never be read as this run's.
  await Promise.all([rm(resultPath, { force: true }), rm(job.screenshotPath, { force: true })]);
  await mkdir(workDir, { recursive: true });
  const jobPath = join(workDir, `${name}.job.json`);
  await writeFile(jobPath, `${JSON.stringify(job, null, 2)}\n`);

  const outcome = await runProcess({
    command: { file: process.execPath, args: [harnessPath(), jobPath] },
    cwd,
    env: { ...gate.env, SLUICE_GATE: name },
    timeoutMs: gate.timeout,
    outputPath: logFile,
    contain: true,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.onProcessStart ? { onStart: context.onProcessStart } : {}),
  });
  const verdict = await judgeBrowserRun({
    outcome,
    report: await readReport(resultPath),
    script: { path: script, shown: shown(script) },
    timeoutMs: gate.timeout,
    relativePath: shown,
    readLog: () => readFile(logFile, 'utf8').catch(() => ''),
  });
  return { ...base(), ...verdict };
}

/**
 * The harness next to this module: compiled `.js` in the package, the `.ts` source when Sluice runs
 * from src (its tests); Node 22.18+ runs that by stripping its types.
 */
function harnessPath(): string {
  const compiled = fileURLToPath(new URL('./browser-harness.js', import.meta.url));
  return existsSync(compiled) ? compiled : fileURLToPath(new URL('./browser-harness.ts', import.meta.url));
}

/** Playwright's wait for one action: at most 30 s, and well within the gate's timeout so a failure gets its screenshot. */
function actionTimeout(gateTimeoutMs: number): number {
  return Math.min(30_000, Math.max(1000, Math.floor(gateTimeoutMs / 2)));
}

async function readReport(path: string): Promise<HarnessReport | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as HarnessReport;
  } catch {
    return undefined;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
