import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItemDetail } from '../../../src/server/api-types.ts';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { adderTest, brokenAdderRepo, rightAdd, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';
import { reviewItems, sluiceRunDone } from '../review/review-fixtures.ts';
import {
  heldAgent,
  launchChromium,
  openDashboard,
  screenshot,
  serveDashboard,
  sluiceRunInBackground,
} from './dashboard-fixtures.ts';

// The dashboard in the real Chromium against the real `sluice serve`, on stores filled by real runs.
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const sumTest =
  "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { add } from '../src/add.js';\n\ntest('adds negatives', () => {\n  assert.equal(add(-2, -3), -5);\n});\n";

/** A generated file of 2,000 lines: the kind of diff a reviewer does not read line by line. */
const bigTable = `${Array.from({ length: 2000 }, (_, index) => `export const row${index} = ${index};`).join('\n')}\n`;

async function storedTasks(repo: string) {
  const store = await RunStore.open(runStorePath(repo));
  try {
    return await store.queue.listTasks();
  } finally {
    await store.close();
  }
}

async function switchTheme(page: Page, theme: 'light' | 'dark') {
  const current = await page.evaluate<string | undefined>('document.documentElement.dataset.theme');
  if (current !== theme) await page.getByTestId('theme-toggle').click();
  await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.theme')).toBe(theme);
}

describe('sluice serve dashboard', () => {
  it('lists runs on the overview; a run page shows its iterations, gates and diffs', { timeout: 120_000 }, async () => {
    // A generated file is allowed in this change: the review limit is raised for it.
    const repo = await brokenAdderRepo('review:\n  max_change_lines: 5000\n');
    const { runId } = await sluiceRunDone(repo, [
      { write: wrongAdd },
      { write: rightAdd, files: { 'test/neg.test.js': sumTest, 'src/table.js': bigTable } },
    ]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);

    const row = page.locator(`[data-testid=run-row][data-run-id="${runId}"]`).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Make add() add');
    expect(await page.getByTestId('stat-review').textContent()).toContain('1');
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'overview');
    }
    await switchTheme(page, 'light');

    await row.click();
    await page.waitForURL(`**/runs/${runId}`);
    const iterations = page.getByTestId('iteration');
    await expect.poll(() => iterations.count()).toBe(2);
    expect(await iterations.nth(0).getAttribute('data-verdict')).toBe('failed');
    expect(await iterations.nth(1).getAttribute('data-verdict')).toBe('passed');
    expect(await iterations.nth(0).locator('[data-gate=unit]').getAttribute('data-status')).toBe('failed');
    expect(await iterations.nth(1).locator('[data-gate=unit]').getAttribute('data-status')).toBe('passed');
    // What the agent was told after the failed iteration is there to read.
    await iterations.nth(0).getByTestId('feedback-sent').locator('summary').click();
    expect(await iterations.nth(0).getByTestId('feedback-sent').textContent()).toContain('unit');

    // The whole change: both files, the final add().
    const diff = page.getByTestId('diff');
    await diff.locator('[data-testid=diff-file][data-path="src/add.js"]').waitFor();
    const files = await diff.locator('[data-testid=diff-file]').all();
    expect(await Promise.all(files.map((file) => file.getAttribute('data-path')))).toEqual([
      'src/add.js',
      'src/table.js',
      'test/neg.test.js',
    ]);
    expect(await diff.textContent()).toContain('return a + b;');
    // A huge file waits for a click rather than slowing the page down; then it is all there.
    const table = diff.locator('[data-testid=diff-file][data-path="src/table.js"]');
    expect(await table.locator('tr').count()).toBe(0);
    await table.getByTestId('expand-file').click();
    await table.getByText('export const row1999 = 1999;').waitFor();
    // Collapse it again for the screenshots by reloading: the choice is not kept.
    await page.reload();
    await diff.locator('[data-testid=diff-file][data-path="src/add.js"]').waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'run');
    }

    // One iteration's diff: the first turn wrote a * b.
    await iterations.nth(0).getByTestId('show-iteration-diff').click();
    await expect.poll(() => diff.textContent()).toContain('return a * b;');
    expect(await diff.locator('[data-testid=diff-file]').count()).toBe(1);
    // Split view shows the old line beside the new one.
    await diff.getByRole('button', { name: 'Split' }).click();
    await diff.locator('table.split').waitFor();
    await screenshot(page, 'run-iteration-split');

    expect(problems).toEqual([]);

    // Loading a page does not push its content around: skeletons hold the place of what is on its way.
    for (const path of ['/', `/runs/${runId}`, '/review']) {
      await page.goto(`${dashboard.url}${path}`);
      await page
        .locator('[data-skeleton], [aria-busy]')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => {});
      await page.waitForTimeout(500);
      const shift = await page.evaluate<number>(`new Promise((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 100);
      })`);
      expect(shift, `layout shift loading ${path}`).toBeLessThan(0.1);
    }

    // The page ran under the server's strict CSP (a blocked script or style would be a console error above).
    const response = await page.goto(`${dashboard.url}/runs/${runId}`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');

    // A browser without the token sees everything and can change nothing.
    const stranger = await browser.newContext();
    try {
      const readOnly = await stranger.newPage();
      await readOnly.goto(`${dashboard.url}/review/${runId}`);
      await readOnly.getByTestId('read-only').waitFor();
      await readOnly.getByTestId('review-item').waitFor();
      expect(await readOnly.getByTestId('approve').isDisabled()).toBe(true);
      await readOnly.keyboard.press('a');
      await readOnly.waitForTimeout(300);
      expect(await readOnly.getByTestId('approve-dialog').count()).toBe(0);
    } finally {
      await stranger.close();
    }
  });

  it("updates a live run's page by itself as the agent works and iterations finish", { timeout: 120_000 }, async () => {
    const repo = await brokenAdderRepo();
    const agent = heldAgent([wrongAdd, rightAdd]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    // A new project: the overview says how to start.
    await page.getByTestId('empty').first().waitFor();

    const finished = sluiceRunInBackground(repo, 'Make add() add', agent.command);
    // The run appears on the open overview without a reload.
    const row = page.locator('[data-testid=running] [data-testid=run-row]');
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    const iterations = page.getByTestId('iteration');
    await expect.poll(() => iterations.count(), { timeout: 10_000 }).toBe(1);
    expect(await iterations.nth(0).getAttribute('data-verdict')).toBe('running');
    // The agent's log streams in while it works.
    await expect
      .poll(() => page.getByTestId('live-log').textContent(), { timeout: 10_000 })
      .toContain('still thinking');
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'run-live');
    }

    await expect.poll(() => agent.waiting(), { timeout: 10_000 }).toBe(1);
    const released = Date.now();
    agent.release();
    // Iteration 1 finishes (gates red) and iteration 2 starts: the page shows both, by itself.
    await expect.poll(() => iterations.nth(0).getAttribute('data-verdict'), { timeout: 10_000 }).toBe('failed');
    const shownAfterMs = Date.now() - released;
    await expect.poll(() => iterations.count()).toBe(2);
    await expect.poll(() => agent.waiting(), { timeout: 10_000 }).toBe(1);
    agent.release();
    await expect.poll(() => iterations.nth(1).getAttribute('data-verdict'), { timeout: 15_000 }).toBe('passed');
    await expect.poll(() => page.locator('.page-head [data-status]').first().getAttribute('data-status')).toBe('done');
    const result = await finished;
    expect(result.exitCode).toBe(0);
    // The agent turn, the gates and the store write happen in between: well under the bound.
    expect(shownAfterMs).toBeLessThan(10_000);
    expect(problems).toEqual([]);
  });

  it('cancels a running run from its page', { timeout: 120_000 }, async () => {
    const repo = await brokenAdderRepo();
    const agent = heldAgent([wrongAdd]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    const finished = sluiceRunInBackground(repo, 'Make add() add', agent.command);
    const row = page.locator('[data-testid=running] [data-testid=run-row]');
    await row.waitFor({ timeout: 20_000 });
    const runId = (await row.getAttribute('data-run-id')) ?? '';
    await row.click();
    await expect.poll(() => agent.waiting(), { timeout: 10_000 }).toBe(1);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('cancel-run').click();
    // The run stops (its process ends) and the page shows it, without a reload.
    const result = await finished;
    expect(result.stdout + result.stderr).toMatch(/cancel/i);
    await expect
      .poll(() => page.locator('.page-head [data-status]').first().getAttribute('data-status'), { timeout: 10_000 })
      .toBe('cancelled');
    expect(await page.getByTestId('cancel-run').count()).toBe(0);
    const store = await RunStore.open(runStorePath(repo));
    try {
      expect((await store.getRun(runId))?.status).toBe('cancelled');
    } finally {
      await store.close();
    }
    expect(problems).toEqual([]);
  });

  it('approves from the keyboard: the change lands in git and the item leaves the queue', {
    timeout: 150_000,
  }, async () => {
    const repo = await brokenAdderRepo();
    const first = await sluiceRunDone(repo, [{ write: rightAdd, files: { 'test/neg.test.js': sumTest } }]);
    const second = await sluiceRunDone(repo, [{ write: rightAdd.replace('a + b', 'b + a') }]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    await page.goto(`${dashboard.url}/review`);

    const items = page.getByTestId('queue-item');
    await expect.poll(() => items.count()).toBe(2);
    const current = () => page.getByTestId('review-item').getAttribute('data-run-id');
    await expect.poll(current).toBe(first.runId);
    await page.getByTestId('file-tree').waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'review', false);
    }
    await switchTheme(page, 'light');

    // j / k move between items; n / p between the files of the diff.
    await page.keyboard.press('j');
    await expect.poll(current).toBe(second.runId);
    await page.keyboard.press('k');
    await expect.poll(current).toBe(first.runId);
    // The first item's own diff (two files), not the second's (src/add.js alone) still on screen: a key
    // pressed before it loads would move in the old diff.
    await expect.poll(() => page.locator('[data-testid=diff-file]').count()).toBe(2);
    const currentFile = () => page.locator('[data-testid=diff-file].current').getAttribute('data-path');
    await expect.poll(currentFile).toBe('src/add.js');
    await page.keyboard.press('n');
    await expect.poll(currentFile).toBe('test/neg.test.js');
    await page.keyboard.press('p');
    await expect.poll(currentFile).toBe('src/add.js');

    // a, then Enter: approve and land.
    await page.keyboard.press('a');
    await page.getByTestId('approve-dialog').waitFor();
    await screenshot(page, 'review-approve-dialog', false);
    await page.keyboard.press('Enter');
    const outcome = page.getByTestId('outcome');
    await expect.poll(() => outcome.textContent(), { timeout: 60_000 }).toContain('Landed on main');

    // The change is in git: main holds the run's add() and test; the item left the queue, in the page and the store.
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    expect(await git(repo, 'show', 'main:test/neg.test.js')).toBe(sumTest.trim());
    expect(await git(repo, 'show', 'main:test/add.test.js')).toBe(adderTest.trim());
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.first().getAttribute('data-run-id')).toBe(second.runId);
    await expect.poll(current).toBe(second.runId);
    expect((await reviewItems(repo)).map((item) => item.runId)).toEqual([second.runId]);
    expect((await reviewItems(repo, true)).find((item) => item.runId === first.runId)?.status).toBe('landed');

    // The second change now conflicts with main: approving it shows why, and nothing is lost.
    await page.keyboard.press('a');
    await page.getByTestId('confirm-approve').click();
    await expect.poll(() => outcome.textContent(), { timeout: 60_000 }).toMatch(/Not landed/);
    expect(await outcome.getAttribute('class')).toContain('bad');
    await screenshot(page, 'review-conflict', false);
    expect(await git(repo, 'show', 'main:src/add.js')).toBe(rightAdd.trim());
    expect(await git(repo, 'rev-parse', '--verify', `sluice/${second.runId}`)).toMatch(/^[0-9a-f]{40}$/);
    expect(problems).toEqual([]);
  });

  it("requests changes with the keyboard: the words reach the agent's next prompt", { timeout: 120_000 }, async () => {
    const repo = await brokenAdderRepo();
    const { runId, agent } = await sluiceRunDone(repo, [{ write: rightAdd }, { write: `${rightAdd}// x and y\n` }]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    await page.goto(`${dashboard.url}/review/${runId}`);
    await page.getByTestId('file-tree').waitFor();

    await page.keyboard.press('c');
    const text = page.getByTestId('decision-text');
    await text.waitFor();
    await expect
      .poll(() => page.evaluate<string | null>("document.activeElement?.getAttribute('data-testid') ?? null"))
      .toBe('decision-text');
    // Typing in the box is text, not shortcuts: "a" here approves nothing.
    await page.keyboard.type('Name the parameters augend and addend');
    for (const theme of ['light', 'dark'] as const) {
      // The dialog covers the toggle: set the theme the way the toggle does.
      await page.evaluate(`document.documentElement.dataset.theme = '${theme}'`);
      await screenshot(page, 'review-changes-dialog', false);
    }
    // A reviewer reading for a few seconds (page visible, focused, input): that time goes with the decision.
    for (let second = 0; second < 3; second++) {
      await page.mouse.move(200 + second * 10, 300);
      await page.waitForTimeout(1000);
    }
    const decision = page.waitForRequest((request) => request.url().endsWith(`/api/review/${runId}/changes`));
    await page.keyboard.press('Control+Enter');
    const sent = (await decision).postDataJSON() as { feedback: string; activeMs: number };
    expect(sent.feedback).toBe('Name the parameters augend and addend');
    expect(sent.activeMs).toBeGreaterThanOrEqual(2000);
    expect(sent.activeMs).toBeLessThan(60_000);
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('Sent back to the agent');
    const [item] = await reviewItems(repo, true);
    expect(item).toMatchObject({
      runId,
      status: 'changes-requested',
      decisionNote: 'Name the parameters augend and addend',
    });

    // The reviewer's active time on the page went with the decision and is stored with the round.
    const detail = (await (await page.request.get(`${dashboard.url}/api/review/${runId}`)).json()) as ReviewItemDetail;
    expect(detail.rounds[0]?.activeMinutes).not.toBeNull();

    const resumed = await runSluice(['resume', runId], { cwd: repo });
    expect(resumed.exitCode).toBe(0);
    expect(agent.prompts()).toHaveLength(2);
    expect(agent.prompts()[1]).toContain("# Reviewer's request\n\nName the parameters augend and addend");
    expect(problems).toEqual([]);
  });

  it('shows empty states, tasks, usage and gym, light and dark, narrow too', { timeout: 120_000 }, async () => {
    const empty = await brokenAdderRepo();
    const emptyDashboard = await serveDashboard(empty);
    const fresh = await openDashboard(browser, emptyDashboard);
    await fresh.page.getByTestId('empty').first().waitFor();
    expect(await fresh.page.getByTestId('empty').first().textContent()).toContain('sluice');
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(fresh.page, theme);
      await screenshot(fresh.page, 'overview-empty');
    }

    const repo = await brokenAdderRepo();
    await sluiceRunDone(repo, [
      { write: wrongAdd, usage: { input: 42_000, output: 3_100, cost: 0.21 } },
      { write: rightAdd, usage: { input: 51_000, output: 2_400, cost: 0.19 } },
    ]);
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);

    // Add a task in the page; it is queued in the store with its acceptance command and priority.
    await page.goto(`${dashboard.url}/tasks`);
    await page.locator('#task-goal').fill('Add a subtract() helper');
    await page.locator('#task-accept').fill('node --test test/');
    await page.locator('#task-priority').fill('3');
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.locator('[data-testid=queued-tasks] [data-testid=task]').first().waitFor();
    await page.locator('#task-goal').fill('Document add()');
    await page.getByRole('button', { name: 'Add to queue' }).click();
    const queued = page.locator('[data-testid=queued-tasks] [data-testid=task]');
    await expect.poll(() => queued.count()).toBe(2);
    const stored = await storedTasks(repo);
    expect(stored.map((task) => [task.goal, task.accept, task.priority, task.status])).toEqual([
      ['Add a subtract() helper', ['node --test test/'], 3, 'queued'],
      ['Document add()', [], 0, 'queued'],
    ]);
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'tasks');
    }
    // Why each waits: nothing dispatches in this server, and the page says what to run.
    expect(await queued.first().getByTestId('wait-reason').textContent()).toContain('sluice work');
    // Move the second task up: the queue order changes in the store.
    await queued.nth(1).getByRole('button', { name: 'Move up' }).click();
    await expect.poll(async () => (await queued.first().textContent()) ?? '').toContain('Document add()');
    expect((await storedTasks(repo)).filter((task) => task.status === 'queued').map((task) => task.goal)).toEqual([
      'Document add()',
      'Add a subtract() helper',
    ]);
    // Cancel the second task.
    page.once('dialog', (dialog) => void dialog.accept());
    await queued.nth(1).getByTestId('cancel-task').click();
    await expect.poll(() => queued.count()).toBe(1);
    // Only the cancelled one left the queue.
    const afterCancel = await storedTasks(repo);
    expect(afterCancel.filter((task) => task.status === 'queued').map((task) => task.goal)).toEqual(['Document add()']);
    expect(afterCancel.find((task) => task.goal === 'Add a subtract() helper')?.status).not.toBe('queued');

    for (const path of ['usage', 'gym']) {
      await page.goto(`${dashboard.url}/${path}`);
      await page.locator('.card').first().waitFor();
      if (path === 'usage') await page.getByTestId('tokens-chart').locator('canvas').waitFor();
      for (const theme of ['light', 'dark'] as const) {
        await switchTheme(page, theme);
        await screenshot(page, path);
      }
    }

    // A narrow window: the navigation folds into a bar, nothing overflows sideways.
    const narrow = await openDashboard(browser, dashboard, { width: 420, height: 860 });
    for (const path of ['', 'review', 'tasks']) {
      await narrow.page.goto(`${dashboard.url}/${path}`);
      await narrow.page.locator('.card').first().waitFor();
      await narrow.page.waitForTimeout(300);
      const overflow = await narrow.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `/${path} is wider than the window`).toBeLessThanOrEqual(0);
      // The review page's decision bar sticks to the bottom of the window: show the window.
      await screenshot(narrow.page, `narrow-${path || 'overview'}`, path !== 'review');
    }
    expect([...problems, ...fresh.problems, ...narrow.problems]).toEqual([]);
  });

  it('charts each benchmark metric over time with its goal line', { timeout: 120_000 }, async () => {
    const work = (delayMs: number) =>
      `export function work() {\n  return new Promise((done) => setTimeout(done, ${delayMs}));\n}\n`;
    const repo = await gitdir({
      files: {
        'package.json': '{ "type": "module" }\n',
        'src/work.js': work(40),
        'bench.js':
          "import { work } from './src/work.js';\nconst started = performance.now();\nawait work();\nconsole.log(JSON.stringify({ p50_ms: performance.now() - started }));\n",
        'sluice.yaml': `gates:
  speed:
    kind: bench
    run: node bench.js
    bench:
      runs: 3
      metrics:
        p50_ms: { json: p50_ms, unit: ms }
      goals: ["p50_ms <= 30"]
`,
      },
    });
    // Three measurements as the code gets faster: 40, 30, 20 ms.
    for (const delay of [40, 30, 20]) {
      writeFiles(repo, { 'src/work.js': work(delay) });
      const check = await runSluice(['check'], { cwd: repo });
      expect(check.stderr).not.toContain('internal error');
    }
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    await page.goto(`${dashboard.url}/gym`);
    const series = page.getByTestId('gym-series');
    await series.first().locator('canvas').waitFor();
    expect(await series.count()).toBe(1);
    const text = await series.first().textContent();
    expect(text).toContain('speed · p50_ms');
    expect(text).toContain('goal p50_ms <= 30');
    expect(text).toContain('lower is better');
    for (const theme of ['light', 'dark'] as const) {
      await switchTheme(page, theme);
      await screenshot(page, 'gym-trend');
    }
    expect(problems).toEqual([]);
  });
});
