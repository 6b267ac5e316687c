import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { onTestFinished } from 'vitest';
import { sluiceBin } from '../../support/sluice-cli.ts';

export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  token: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Start the real `sluice serve --port 0` in `repo` and wait for its address; stopped (SIGINT) after the test. */
export async function startServe(repo: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [sluiceBin, 'serve', '--port', '0', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  });
  const started = Date.now();
  while (!/sluice serve: (http:\/\/\S+)\/\?token=(\S+)/.test(stdout)) {
    if (child.exitCode !== null || Date.now() - started > 20_000) {
      throw new Error(`sluice serve did not start (exit ${child.exitCode}):\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const [, url = '', token = ''] = /sluice serve: (http:\/\/\S+)\/\?token=(\S+)/.exec(stdout) ?? [];
  return {
    child,
    url,
    port: Number(new URL(url).port),
    token: decodeURIComponent(token),
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => unknown;
}

/**
 * An HTTP request with full control of the headers (Host and Origin included, which fetch() guards),
 * as a browser, a script or an attacker's page would send it.
 */
export function rawRequest(
  serve: Pick<ServeProcess, 'port'>,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: serve.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${serve.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** GET an API path as the page does; fails the test on a non-2xx answer. */
export async function getJson<T>(serve: ServeProcess, path: string): Promise<T> {
  const response = await rawRequest(serve, { path });
  if (response.status >= 300) throw new Error(`GET ${path}: ${response.status} ${response.body}`);
  return response.json() as T;
}

/** POST JSON with the token, as the page does. */
export function postJson(serve: ServeProcess, path: string, body: unknown, headers: Record<string, string> = {}) {
  return rawRequest(serve, {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json',
      'x-sluice-token': serve.token,
      origin: `http://127.0.0.1:${serve.port}`,
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** A server-sent event as received. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
  at: number;
}

/** Open `/api/events` and collect what arrives, until the test ends. */
export function openEvents(serve: ServeProcess, query = ''): { events: ReceivedEvent[] } {
  const events: ReceivedEvent[] = [];
  const req = httpRequest(
    { host: '127.0.0.1', port: serve.port, path: `/api/events${query}`, headers: { host: `127.0.0.1:${serve.port}` } },
    (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (event) events.push({ event, data: data ? JSON.parse(data) : null, at: Date.now() });
          end = buffer.indexOf('\n\n');
        }
      });
    },
  );
  req.on('error', () => {});
  req.end();
  onTestFinished(() => {
    req.destroy();
  });
  return { events };
}
