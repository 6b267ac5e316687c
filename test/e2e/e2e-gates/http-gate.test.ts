import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkJson } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A small API on 127.0.0.1: its base URL, and the requests it saw ("POST /api/items {...}"). */
async function startApi(handle: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      seen.push(`${request.method} ${request.url}${body ? ` ${body}` : ''}`);
      handle(request, body, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(value));
};

describe('http gates', () => {
  it('passes when status, headers, JSON fields and body are as expected, and logs each exchange', async () => {
    const api = await startApi((request, body, response) => {
      if (request.method === 'POST')
        return json(response, 201, { id: 7, ...JSON.parse(body) }, { location: '/api/items/7' });
      json(response, 200, { items: [{ name: 'tea', price: 2 }], total: 2 }, { 'x-api-version': '3' });
    });
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  api:
    kind: http
    http:
      - url: ${api.url}/api/items
        expect:
          headers: { Content-Type: "/^application\\\\/json/", X-API-Version: "3" }
          json: { "items[0].name": tea, "$sum(items.price)": 2, total: 2 }
          body: '"tea"'
      - name: create an item
        method: POST
        url: ${api.url}/api/items
        body: { name: cake }
        expect: { status: [200, 201], headers: { location: /api/items/7 }, json: { id: 7, name: cake } }
`,
    });
    const { exitCode, gate, stdout } = await checkJson(dir);
    expect(exitCode, stdout).toBe(0);
    expect(gate('api').status).toBe('passed');
    expect(api.seen).toEqual(['GET /api/items', 'POST /api/items {"name":"cake"}']);
    const log = readFileSync(join(dir, gate('api').log ?? ''), 'utf8');
    expect(log).toContain(`> POST ${api.url}/api/items  (create an item)`);
    expect(log).toContain('< 201 Created');
    expect(log).toContain('"name":"cake"');
  });

  it('reports every mismatch with expected and received, and still makes the later requests', async () => {
    const api = await startApi((request, _body, response) => {
      if (request.url === '/broken') return json(response, 500, { error: 'db down' });
      if (request.url === '/version') return json(response, 200, { version: '1.2.0' }, { 'cache-control': 'public' });
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>maintenance</body></html>');
    });
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  api:
    kind: http
    http:
      - url: ${api.url}/broken
      - name: version is current
        url: ${api.url}/version
        expect: { headers: { cache-control: no-store }, json: { version: "2.0.0" } }
      - url: ${api.url}/page?x=1
        expect: { json: { ok: true } }
`,
    });
    const { exitCode, gate, json: result } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(api.seen).toEqual(['GET /broken', 'GET /version', 'GET /page?x=1']);
    const api_ = gate('api');
    expect(api_.status).toBe('failed');
    expect(api_.reason).toBe('3 of 3 requests failed');
    expect(
      api_.failures.map(({ test, message, expected, received }) => ({ test, message, expected, received })),
    ).toEqual([
      {
        test: 'GET /broken',
        message: 'status 500 Internal Server Error\nbody: {"error":"db down"}',
        expected: '200',
        received: '500',
      },
      {
        test: 'version is current',
        message: 'header cache-control does not match',
        expected: 'no-store',
        received: 'public',
      },
      { test: 'version is current', message: 'JSON version differs', expected: '"2.0.0"', received: '"1.2.0"' },
      {
        test: 'GET /page?x=1',
        message: 'body is not JSON: <html><body>maintenance</body></html>',
        expected: undefined,
        received: undefined,
      },
    ]);
    // What the agent reads.
    expect(result.feedback).toContain('## api: 3 of 3 requests failed; log: .sluice/logs/api.log');
    expect(result.feedback).toContain(
      '- GET /broken\n  status 500 Internal Server Error\n  body: {"error":"db down"}\n  expected: 200  received: 500',
    );
    expect(result.feedback).toContain(
      '- version is current\n  JSON version differs\n  expected: "2.0.0"  received: "1.2.0"',
    );
  });

  it('says the service is not running when the connection is refused, and stops there', async () => {
    const api = await startApi((_request, _body, response) => json(response, 200, {}));
    const port = Number(new URL(api.url).port);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:
  api:
    kind: http
    http:
      - url: http://127.0.0.1:${port}/x
      - url: http://127.0.0.1:${port}/y
`,
    });
    const { exitCode, gate, json: result } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('api').reason).toBe(`cannot reach 127.0.0.1:${port}: connection refused; 1 later request not run`);
    expect(gate('api').failures).toHaveLength(1);
    expect(gate('api').failures[0]?.message).toBe(
      `GET http://127.0.0.1:${port}/x: connection refused — is the service running? (list it in the gate's services)`,
    );
    expect(result.feedback).toContain('connection refused — is the service running?');
  });

  it('times out a request that never gets an answer, naming it', async () => {
    const api = await startApi(() => {}); // holds every request open
    const dir = tempDir();
    writeFiles(dir, {
      'sluice.yaml': `gates:\n  api: { kind: http, timeout: 1s, http: [{ url: "${api.url}/slow" }] }\n`,
    });
    const { exitCode, gate } = await checkJson(dir);
    expect(exitCode).toBe(1);
    expect(gate('api').status).toBe('timed-out');
    expect(gate('api').reason).toBe('timed out after 1s waiting for GET /slow');
    expect(gate('api').duration_ms).toBeLessThan(3000);
  });
});
