import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitdir } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { launchChromium, openDashboard, screenshot, serveDashboard } from './dashboard-fixtures.ts';

// The approvals page in the real Chromium against the real `sluice serve`, on workflows parked by the CLI.
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const waitingExit = 75;

async function park(repo: string, name: string): Promise<string> {
  const parked = await runSluice(['workflow', 'run', name], { cwd: repo });
  expect(parked.exitCode, parked.stdout + parked.stderr).toBe(waitingExit);
  return /workflow \S+ (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
}

async function workflowStatus(repo: string, id: string) {
  const shown = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
  return JSON.parse(shown.stdout) as { status: string; reason?: string };
}

describe('sluice serve dashboard: approvals', () => {
  it('lists parked approvals live with what they show; approves one and rejects another with a reason', {
    timeout: 120_000,
  }, async () => {
    const workflow = (show: string) => `steps:
  sign:
    name: Sign the release
    approve: { message: Ship the release?, ${show} }
  after:
    needs: [sign]
    run: echo "\${{ workflow.id }} \${{ steps.sign.outputs.reason }}" >> after.log
`;
    const repo = await gitdir({
      files: {
        'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
        '.gitignore': '.sluice/\n*.log\n',
        'note.md': '# Release note\n\n- the widget, version 2\n',
        '.sluice/workflows/ship.yaml': workflow('show: { file: note.md }'),
        '.sluice/workflows/hotfix.yaml': workflow('timeout: 24h'),
      },
    });
    const ship = await park(repo, 'ship');
    const dashboard = await serveDashboard(repo);
    const { page, problems } = await openDashboard(browser, dashboard);
    await page.goto(`${dashboard.url}/approvals`);

    const cards = page.getByTestId('approval');
    await expect.poll(() => cards.count()).toBe(1);
    const shipCard = page.locator(`[data-testid=approval]:has([data-workflow-id="${ship}"])`);
    expect(await shipCard.getByTestId('approval-message').textContent()).toBe('Ship the release?');
    expect(await shipCard.getByTestId('approval-material').textContent()).toContain('- the widget, version 2');

    // A workflow parked by another process shows up by itself (the live stream), with its deadline.
    const hotfix = await park(repo, 'hotfix');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(2);
    const hotfixCard = page.locator(`[data-testid=approval]:has([data-workflow-id="${hotfix}"])`);
    expect(await hotfixCard.getByTestId('approval-expiry').textContent()).toContain('expires');
    await expect.poll(() => page.locator('a[href="/approvals"] .nav-count').textContent()).toBe('2');
    for (const theme of ['light', 'dark'] as const) {
      if ((await page.evaluate<string | undefined>('document.documentElement.dataset.theme')) !== theme) {
        await page.getByTestId('theme-toggle').click();
      }
      await screenshot(page, 'approvals');
    }

    // Rejecting needs a reason: the button waits for one.
    const reject = hotfixCard.getByTestId('reject-step');
    expect(await reject.isDisabled()).toBe(true);
    await hotfixCard.getByTestId('approval-reason').fill('Not on a Friday');
    await reject.click();
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await workflowStatus(repo, hotfix)).status, { timeout: 30_000 }).toBe('failed');
    expect((await workflowStatus(repo, hotfix)).reason).toContain('rejected: Not on a Friday');

    await shipCard.getByTestId('approval-reason').fill('read the note');
    await shipCard.getByTestId('approve-step').click();
    await expect.poll(() => page.getByTestId('approval-outcome').textContent()).toContain('approved');
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('empty').waitFor();
    await expect.poll(async () => (await workflowStatus(repo, ship)).status, { timeout: 30_000 }).toBe('succeeded');
    const after = join(repo, 'after.log');
    expect(existsSync(after) ? readFileSync(after, 'utf8') : '').toBe(`${ship} read the note\n`);
    expect(problems).toEqual([]);
  });
});
