import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { chromiumPath } from '../../support/chromium.ts';
import { repoRoot, sluiceBin } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** Where the screenshots of every page go (gitignored): a human looks at them. */
export const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

export interface Dashboard {
  /** http://127.0.0.1:port */
  url: string;
  token: string;
}

/** The real `sluice serve --port 0` on `repo`, stopped (SIGINT, like Ctrl-C) when the test ends. */
export async function serveDashboard(repo: string): Promise<Dashboard> {
  const child = spawn(process.execPath, [sluiceBin, 'serve', '--port', '0'], {
    cwd: repo,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => stop(child));
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice serve printed no address:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /sluice serve: (http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`sluice serve exited ${code}:\n${output}`)));
  });
  const parsed = new URL(address);
  return { url: parsed.origin, token: parsed.searchParams.get('token') ?? '' };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and CSP reports the page produced: a page that works under the CSP has none. */
  problems: string[];
}

/** A page that opened the address `sluice serve` printed (so it holds the token cookie). */
export async function openDashboard(
  browser: Browser,
  dashboard: Dashboard,
  options: { theme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1360, height: options.height ?? 900 },
    colorScheme: options.theme ?? 'light',
  });
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${dashboard.url}/?token=${encodeURIComponent(dashboard.token)}`);
  return { page, context, problems };
}

/** Save a screenshot of the page as it is, under test-artifacts/screenshots/<name>-<theme>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const theme = await page.evaluate<string>("document.documentElement.dataset.theme ?? 'light'");
  // Let charts and fonts settle; the page itself never waits for anything.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, `${name}-${theme}.png`), fullPage });
}

/**
 * An agent whose turns wait for the test: each turn posts its prompt to this process over a unix socket
 * (which the sandbox allows) and blocks until the test calls `release()`; then it writes the turn's
 * src/add.js. So a run can be watched while it is running and an iteration finishes when the test says.
 */
export function heldAgent(turns: string[]): {
  command: string;
  prompts: () => string[];
  waiting: () => number;
  release: () => void;
} {
  const dir = tempDir('sluice-held-agent-');
  const socket = join(dir, 'agent.sock');
  const script = join(dir, 'agent.mjs');
  const prompts: string[] = [];
  const held: Array<() => void> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      prompts.push(body);
      const turn = prompts.length;
      held.push(() => response.end(String(turn)));
    });
  });
  server.listen(socket);
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const answer of held.splice(0)) answer();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  writeFileSync(
    script,
    `import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
const prompt = readFileSync(0, 'utf8');
console.log('agent: reading the task and the failing gate');
const ticker = setInterval(() => console.log('agent: still thinking about add()'), 200);
const turn = await new Promise((resolve, reject) => {
  const sent = request({ socketPath: ${JSON.stringify(socket)}, path: '/turn', method: 'POST' }, (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve(Number(body)));
  });
  sent.on('error', reject);
  sent.end(prompt);
});
clearInterval(ticker);
const turns = ${JSON.stringify(turns)};
writeFileSync('src/add.js', turns[Math.min(turn, turns.length) - 1]);
console.log('SLUICE_USAGE ' + JSON.stringify({ model: 'scripted-1', input_tokens: 1200 * turn, output_tokens: 300, cost_usd: 0.01 * turn }));
console.log('agent: wrote src/add.js');
`,
  );
  return {
    command: `'${process.execPath}' '${script}'`,
    prompts: () => [...prompts],
    waiting: () => held.length,
    release: () => held.shift()?.(),
  };
}

/** `sluice run` in the background (the page watches it); resolves with its result when it ends. */
export function sluiceRunInBackground(repo: string, goal: string, agentCommand: string) {
  const child = spawn(
    process.execPath,
    [sluiceBin, 'run', goal, '--agent', 'command', '--agent-command', agentCommand, '--prompt-via', 'stdin'],
    { cwd: repo, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  onTestFinished(() => stop(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr })),
  );
}
