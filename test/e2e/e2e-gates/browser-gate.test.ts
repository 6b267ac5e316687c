import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../../support/chromium.ts';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';
import { checkJson } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

// A shop page: each click adds a line to the cart and 2 to the total.
const shopPage = `<!doctype html>
<html><body>
<h1>Shop</h1>
<button id="add">Add tea</button>
<ul id="cart"></ul>
<p id="total">Total: 0</p>
<script>
  let count = 0;
  document.getElementById('add').addEventListener('click', () => {
    count++;
    const item = document.createElement('li');
    item.textContent = 'tea';
    document.getElementById('cart').append(item);
    document.getElementById('total').textContent = 'Total: ' + count * 2;
  });
</script>
</body></html>`;

// Written by a script from inside the harness: every process below it (Chromium and its children).
const recordBrowserProcesses = `
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
export function recordDescendants(file) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync('/proc/' + entry + '/stat', 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {}
  }
  const found = [];
  const queue = [process.pid];
  while (queue.length > 0) for (const child of children.get(queue.shift()) ?? []) found.push(child), queue.push(child);
  writeFileSync(file, JSON.stringify(found));
}
`;

let server: Server;
let shopUrl = '';

beforeAll(async () => {
  await ensureChromium();
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(shopPage);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const gateYaml = (script: string, extra = '') =>
  `gates:\n  shop: { kind: browser${extra}, browser: { script: ${script}, url: "${shopUrl}" } }\n`;

describe('browser gates', () => {
  it('passes a script that clicks and waits for the text it expects', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': gateYaml('e2e/cart.mjs'),
      'e2e/cart.mjs': `export default async ({ page, step }) => {
  await step('open the shop', () => page.goto('/'));
  await step('add to cart', async () => {
    await page.click('#add');
    await page.getByText('Total: 2').waitFor();
  });
};
`,
    });
    const { exitCode, gate, stdout } = await checkJson(dir);
    expect(exitCode, stdout).toBe(0);
    expect(gate('shop').status).toBe('passed');
    const log = readFileSync(join(dir, '.sluice/logs/shop.log'), 'utf8');
    expect(log).toContain('step: add to cart');
    expect(log).toContain('passed: 2 steps');
  });

  it('names the failing step, its line and a screenshot of the page', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': gateYaml('e2e/cart.mjs', ', timeout: 60s'),
      'e2e/cart.mjs': `export default async ({ page, step }) => {
  await step('open the shop', () => page.goto('/'));
  await step('add to cart', () => page.click('#add'));
  await step('check the total', async () => {
    await page.getByText('Total: 3').waitFor({ timeout: 1000 });
  });
};
`,
    });
    const { exitCode, gate, json } = await checkJson(dir);
    expect(exitCode).toBe(1);
    const shop = gate('shop');
    expect(shop.status).toBe('failed');
    expect(shop.reason).toBe('step "check the total" failed');
    expect(shop.failures).toHaveLength(1);
    expect(shop.failures[0]).toMatchObject({ test: 'check the total', file: 'e2e/cart.mjs', line: 5 });
    expect(json.feedback).toContain('- check the total (e2e/cart.mjs:5)\n  locator.waitFor: Timeout 1000ms exceeded.');
    expect(json.feedback).toContain("getByText('Total: 3')");
    expect(json.feedback).toContain('screenshot: .sluice/screenshots/shop.png');
    const png = readFileSync(join(dir, '.sluice/screenshots/shop.png'));
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('kills the harness and every Chromium process when the gate times out', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': gateYaml('hang.mjs', ', timeout: 15s'),
      'record.mjs': recordBrowserProcesses,
      'hang.mjs': `import { recordDescendants } from './record.mjs';
export default async ({ page, step }) => {
  await step('open the shop', () => page.goto('/'));
  await step('wait forever', async () => {
    recordDescendants('browser.pids');
    await new Promise(() => {});
  });
};
`,
    });
    // The harness records the pids it sees; inside a PID namespace they are the namespace's own, and the
    // kernel ends them with it (test/e2e/process-containment.test.ts). Here: the fallback's kill-tree.
    process.env.SLUICE_CONTAINMENT = 'process-group';
    const { exitCode, gate } = await checkJson(dir).finally(() => {
      delete process.env.SLUICE_CONTAINMENT;
    });
    expect(exitCode).toBe(1);
    expect(gate('shop').status).toBe('timed-out');
    expect(gate('shop').reason).toBe('timed out after 15s in step "wait forever"; Chromium was killed');
    const pids = JSON.parse(readFileSync(join(dir, 'browser.pids'), 'utf8')) as number[];
    expect(pids.length).toBeGreaterThan(1); // Chromium and its zygote, renderer, GPU/utility processes
    expect(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)))).toBe(true);
  });

  it('fails clearly when the script does not load or Chromium is not installed', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  broken: { kind: browser, browser: { script: broken.mjs } }
  nochrome: { kind: browser, browser: { script: broken.mjs, executable: /opt/none/chromium } }
`,
      'broken.mjs': 'export default async ({ page }) => {\n  await page.goto(\n};\n',
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('broken').reason).toBe('loading the script failed');
    expect(gate('broken').failures[0]).toMatchObject({ test: 'loading the script', file: 'broken.mjs', line: 3 });
    expect(gate('broken').failures[0]?.message).toMatch(/SyntaxError|Unexpected token/);
    expect(gate('nochrome').reason).toBe('Chromium not found at /opt/none/chromium');
    expect(gate('nochrome').failures[0]?.message).toContain('apt-get install chromium');
  });
});
