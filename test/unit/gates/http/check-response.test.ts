import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpRequestSchema } from '../../../../src/config/e2e-schema.ts';
import { checkJsonFields, checkResponse } from '../../../../src/gates/http/check-response.ts';
import { describeNetworkError, sendRequest } from '../../../../src/gates/http/send-request.ts';

const expectations = (expect: unknown) => httpRequestSchema.parse({ url: 'http://127.0.0.1:1/', expect }).expect;
const response = (status: number, body: string, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body,
});

describe('checkResponse', () => {
  it('passes a response that fits every expectation', async () => {
    const expect_ = expectations({
      status: [200, 201],
      headers: { 'Content-Type': '/^application\\/json/' },
      json: { 'items[0].name': 'tea', '$count(items)': 1, total: 3.5 },
      body: '"tea"',
    });
    const body = JSON.stringify({ items: [{ name: 'tea' }], total: 3.5 });
    expect(await checkResponse(expect_, response(201, body, { 'content-type': 'application/json' }))).toEqual([]);
  });

  it('reports every mismatch of a response, each with expected and received', async () => {
    const expect_ = expectations({
      status: 200,
      headers: { 'x-version': '2', 'cache-control': 'no-store' },
      json: { 'items[0].name': 'tea' },
    });
    const mismatches = await checkResponse(
      expect_,
      response(500, '{"items":[{"name":"coffee"}]}', { 'X-Version': '1' }),
    );
    expect(mismatches).toEqual([
      { message: 'status 500\nbody: {"items":[{"name":"coffee"}]}', expected: '200', received: '500' },
      { message: 'header x-version does not match', expected: '2', received: '1' },
      { message: 'header cache-control is missing', expected: 'no-store', received: '(absent)' },
      { message: 'JSON items[0].name differs', expected: '"tea"', received: '"coffee"' },
    ]);
  });

  it('says when the body is not JSON, with its start', async () => {
    const mismatches = await checkJsonFields({ ok: true }, `<html>${'x'.repeat(300)}</html>`);
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]?.message).toMatch(/^body is not JSON: <html>x+…$/);
    expect(mismatches[0]?.message.length).toBeLessThan(240);
    expect(await checkJsonFields({ ok: true }, '')).toEqual([{ message: 'body is empty, not JSON' }]);
  });

  it('compares JSONata results as plain JSON, deeply and regardless of key order', async () => {
    const body = JSON.stringify({
      items: [
        { id: 1, tags: ['a'] },
        { id: 2, tags: [] },
      ],
      meta: { b: 2, a: 1 },
    });
    expect(
      await checkJsonFields({ 'items.id': [1, 2], meta: { a: 1, b: 2 }, 'items[id=1].tags': ['a'] }, body),
    ).toEqual([]);
    expect(await checkJsonFields({ 'items.id': [1, 3] }, body)).toEqual([
      { message: 'JSON items.id differs', expected: '[1,3]', received: '[1,2]' },
    ]);
  });

  it('tells a missing field from a null one, and names an invalid path', async () => {
    const body = '{"a":null}';
    expect(await checkJsonFields({ a: null }, body)).toEqual([]);
    expect(await checkJsonFields({ b: null }, body)).toEqual([
      { message: 'JSON b is missing', expected: 'null', received: '(nothing at that path)' },
    ]);
    const [invalid] = await checkJsonFields({ 'a[': 1 }, body);
    expect(invalid?.message).toMatch(/^invalid JSONata path "a\[": /);
    const [failing] = await checkJsonFields({ 'count(a)': 1 }, body);
    expect(failing?.message).toMatch(/^JSONata path "count\(a\)" failed: .*non-function/);
  });

  it('matches the body against text or a /regex/', async () => {
    expect(await checkResponse(expectations({ body: '/^ok \\d+$/' }), response(200, 'ok 42'))).toEqual([]);
    expect(await checkResponse(expectations({ body: 'ready' }), response(200, 'starting'))).toEqual([
      { message: 'body does not match', expected: 'ready', received: 'starting' },
    ]);
  });
});

describe('sendRequest', () => {
  it('sends an object body as JSON and reads the response', async () => {
    const server = createServer((request, res) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => res.end(JSON.stringify({ type: request.headers['content-type'], body })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const request = httpRequestSchema.parse({ method: 'POST', url: `http://127.0.0.1:${port}/`, body: { a: 1 } });
      const outcome = await sendRequest(request, { timeoutMs: 5000 });
      expect(outcome.status).toBe('responded');
      if (outcome.status !== 'responded') return;
      expect(JSON.parse(outcome.response.body)).toEqual({ type: 'application/json', body: '{"a":1}' });
    } finally {
      server.close();
    }
  });

  it('turns a refused connection and a timeout into outcomes', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sendRequest(httpRequestSchema.parse({ url: `http://127.0.0.1:${port}/` }), {
      timeoutMs: 5000,
    });
    expect(refused).toMatchObject({ status: 'unreachable', problem: 'connection refused' });

    const silent = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const address = silent.address() as AddressInfo;
      const request = httpRequestSchema.parse({ url: `http://127.0.0.1:${address.port}/` });
      expect(await sendRequest(request, { timeoutMs: 200 })).toMatchObject({ status: 'timed-out' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      expect(await sendRequest(request, { timeoutMs: 5000, signal: controller.signal })).toMatchObject({
        status: 'cancelled',
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('names a network error by its code', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    });
    expect(describeNetworkError(error)).toBe('host not found');
    expect(describeNetworkError(new TypeError('fetch failed', { cause: new Error('odd') }))).toBe('odd');
  });
});
