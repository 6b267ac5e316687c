import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../../support/chromium.ts';
import { isProcessAlive } from '../../support/process-state.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';
import { freePort, node } from './service-fixtures.ts';

// These tests read pids the processes write about themselves ($$, pidfiles); a PID namespace renumbers those,
// so they run with the process-group fallback. test/unit/process/contain-*.test.ts cover the namespace.
process.env.SLUICE_CONTAINMENT = 'process-group';

// A small shop app: it logs its mode, serves an item list as JSON and a page with a cart button.
// `BROKEN=1` makes it count wrong, log an ERROR and show the wrong total.
const app = `import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
const port = Number(process.argv[2]);
const broken = process.env.BROKEN === '1';
writeFileSync('app.pid', String(process.pid));
console.log('config: mode=fast');
const items = [{ name: 'apple', price: 3 }, { name: 'pear', price: 2 }];
const page = '<html><body><button id="add">Add</button><p id="total">Total: 0</p>' +
  '<script>let n = 0; document.getElementById("add").onclick = () => { n += ' + (broken ? 2 : 1) + '; ' +
  'document.getElementById("total").textContent = "Total: " + n; };</script></body></html>';
createServer((request, response) => {
  if (request.url === '/api/items') {
    if (broken) console.log('ERROR counting items');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ count: broken ? 3 : items.length, items }));
  } else {
    response.setHeader('content-type', 'text/html');
    response.end(page);
  }
}).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
`;

const cartScript = `export default async ({ page, step }) => {
  await step('open the shop', () => page.goto('/'));
  await step('add to cart', () => page.click('#add'));
  await step('check the total', () => page.getByText('Total: 1', { exact: true }).waitFor({ timeout: 2000 }));
};
`;

function project(port: number): string {
  const dir = tempDir('sluice-app-');
  writeFiles(dir, {
    'app.mjs': app,
    'e2e/cart.mjs': cartScript,
    'sluice.yaml': `services:
  app:
    run: '${node} app.mjs ${port}'
    ready: { log: "/listening on \\\\d+/" }
    ready_timeout: 10s
gates:
  api:
    kind: http
    services: [app]
    http:
      - url: http://127.0.0.1:${port}/api/items
        expect: { status: 200, headers: { content-type: /json/ }, json: { count: 2, "items[0].name": apple } }
  cart:
    kind: browser
    services: [app]
    timeout: 90s
    browser: { script: e2e/cart.mjs, url: "http://127.0.0.1:${port}" }
  app-log:
    kind: log
    services: [app]
    needs: [api, cart]
    log: { of: app, must: ["config: mode=fast"], must_not: [ERROR] }
`,
  });
  return dir;
}

describe('the app under test as a service, judged by http, browser and log gates', () => {
  beforeAll(async () => {
    await ensureChromium();
  }, 600_000);

  it('passes against a working app, fails with exact feedback against a broken one, and never leaves it running', async () => {
    const port = await freePort();
    const dir = project(port);
    const good = await runSluice(['check'], { cwd: dir });
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('3 passed');
    const firstPid = Number(readFileSync(join(dir, 'app.pid'), 'utf8'));
    expect(isProcessAlive(firstPid)).toBe(false);

    const bad = await runSluice(['check', '--json'], { cwd: dir, env: { BROKEN: '1' } });
    expect(bad.exitCode).toBe(1);
    const json = JSON.parse(bad.stdout) as {
      gates: Array<{ name: string; status: string; screenshot?: string }>;
      feedback: string;
    };
    const status = Object.fromEntries(json.gates.map((gate) => [gate.name, gate.status]));
    expect(status).toEqual({ api: 'failed', cart: 'failed', 'app-log': 'skipped' });
    expect(json.feedback).toMatch(/count[\s\S]*expected: 2\s+received: 3/);
    expect(json.feedback).toContain('check the total');
    expect(json.feedback).toContain('screenshot: .sluice/screenshots/cart.png');
    expect(readFileSync(join(dir, '.sluice/screenshots/cart.png')).length).toBeGreaterThan(1000);
    const secondPid = Number(readFileSync(join(dir, 'app.pid'), 'utf8'));
    expect(secondPid).not.toBe(firstPid);
    expect(isProcessAlive(secondPid)).toBe(false);
  }, 180_000);

  it("fails a log gate on the service's own log with the forbidden line", async () => {
    const port = await freePort();
    const dir = project(port);
    // The log gate asks the app for its items first, so the broken app writes its ERROR line.
    const askForItems = `${node} -e "await fetch('http://127.0.0.1:${port}/api/items')" --input-type=module`;
    const config = readFileSync(join(dir, 'sluice.yaml'), 'utf8')
      .replace('needs: [api, cart]', 'needs: []')
      .replace('    log: { of: app,', `    run: ${JSON.stringify(askForItems)}\n    log: { of: app,`);
    writeFiles(dir, { 'sluice.yaml': config });
    const log = await runSluice(['check', '--feedback', '--gate', 'app-log'], { cwd: dir, env: { BROKEN: '1' } });
    expect(log.exitCode, log.stdout + log.stderr).toBe(1);
    expect(log.stdout).toContain('forbidden: "ERROR" matches 1 line of the log of service "app"');
    expect(log.stdout).toMatch(/line \d+: ERROR counting items/);
    const fixed = await runSluice(['check', '--gate', 'app-log'], { cwd: dir });
    expect(fixed.exitCode, fixed.stdout).toBe(0);
  }, 120_000);
});
