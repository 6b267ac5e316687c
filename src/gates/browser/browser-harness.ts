/**
 * The browser gate's child process: `node browser-harness.js <job.json>`. It launches Chromium, runs
 * the user's script, and on a failure saves a screenshot and names the step. It runs in its own
 * process group (see run-browser-gate.ts), so a timeout kills it and Chromium with it. Its stdout is
 * the gate's log, which is why it writes there.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { BrowserJob, HarnessPhase, HarnessReport } from './browser-job.ts';

type Step = <T>(name: string, run: () => T | Promise<T>) => Promise<T>;
type UserScript = (api: {
  page: Page;
  context: Awaited<ReturnType<Browser['newContext']>>;
  browser: Browser;
  step: Step;
  baseURL: string | undefined;
}) => unknown;

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Run the job: exit code 0 when the script passed; a syntax error of the script is handed back to be rethrown. */
async function runJob(jobPath: string): Promise<{ exitCode: number; syntaxError?: SyntaxError }> {
  const job = JSON.parse(await readFile(jobPath, 'utf8')) as BrowserJob;
  // One write at a time: a later report must never be overtaken by an earlier one.
  let written = Promise.resolve();
  const report = (answer: HarnessReport) => {
    written = written.then(() => writeFile(job.resultPath, `${JSON.stringify(answer, null, 2)}\n`));
    return written;
  };
  const passed: string[] = [];
  const running: string[] = [];
  // The first step an error escaped from is where it happened; outer steps see the same error again.
  const escaped: { error?: unknown; step?: string } = {};
  const step: Step = async (name, run) => {
    running.push(name);
    const path = running.join(' > ');
    log(`step: ${path}`);
    await report({ outcome: 'running', step: path, steps: [...passed] });
    try {
      const result = await run();
      passed.push(path);
      return result;
    } catch (error) {
      if (escaped.error !== error) Object.assign(escaped, { error, step: path });
      throw error;
    } finally {
      running.pop();
    }
  };

  await report({ outcome: 'running', steps: [] });
  // A script that does not load fails before Chromium costs its seconds to start.
  let phase: HarnessPhase = 'load';
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    const script = await loadScript(job.script);
    phase = 'launch';
    log(`launching ${job.executable}`);
    browser = await chromium.launch({ executablePath: job.executable, args: chromiumArgs });
    const context = await browser.newContext(job.baseURL ? { baseURL: job.baseURL } : {});
    context.setDefaultTimeout(job.actionTimeoutMs);
    page = await context.newPage();
    page.on('console', (message) => log(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    phase = 'script';
    log(`running ${job.script}`);
    await script({ page, context, browser, step, baseURL: job.baseURL });
    log(`passed: ${passed.length} ${passed.length === 1 ? 'step' : 'steps'}`);
    await report({ outcome: 'passed', steps: passed });
    return { exitCode: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? message) : message;
    const failedStep = escaped.error === error ? escaped.step : undefined;
    log(`failed${failedStep ? ` in step "${failedStep}"` : ` (${phase})`}:\n${stack}`);
    const screenshot = page ? await takeScreenshot(page, job.screenshotPath) : undefined;
    await report({
      outcome: 'failed',
      phase,
      ...(failedStep ? { step: failedStep } : {}),
      error: message,
      stack,
      ...(screenshot ? { screenshot } : {}),
      steps: passed,
    });
    return phase === 'load' && error instanceof SyntaxError ? { exitCode: 1, syntaxError: error } : { exitCode: 1 };
  } finally {
    await browser?.close().catch(() => {});
  }
}

async function loadScript(path: string): Promise<UserScript> {
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  if (typeof module.default !== 'function') {
    throw new TypeError(`${path} must export a default function: export default async ({ page, step }) => { ... }`);
  }
  return module.default as UserScript;
}

async function takeScreenshot(page: Page, path: string): Promise<string | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true, timeout: 10_000 });
    log(`screenshot: ${path}`);
    return path;
  } catch (error) {
    log(`no screenshot: ${(error as Error).message}`);
    return undefined;
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const jobPath = process.argv[2];
if (jobPath) {
  // This file is the entry of its own process: once the browser is closed, exit even if the user's
  // script left timers or sockets behind, rather than idling until the gate's timeout.
  runJob(jobPath).then(
    ({ exitCode, syntaxError }) => {
      // Node tells where a module's syntax error is (file:line and the source line) only when it is
      // uncaught; the parent reads that from the log.
      if (syntaxError)
        setImmediate(() => {
          throw syntaxError;
        });
      else process.exit(exitCode);
    },
    (error: unknown) => {
      process.stderr.write(`browser harness: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(2);
    },
  );
}
