import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token counts the fake reports in `response.completed`, as the Responses API spells them. */
export interface FakeUsage {
  inputTokens: number;
  cachedTokens?: number;
  /** Reported as `input_tokens_details.cache_write_tokens`, which Codex reads too. */
  cacheWriteTokens?: number;
  outputTokens: number;
  reasoningTokens?: number;
}

/** One scripted answer to one `POST /v1/responses`. */
export type FakeResponse =
  /** An assistant message. */
  | { kind: 'text'; text: string; usage?: FakeUsage }
  /** A `function_call` of Codex's shell tool; Codex runs `cmd` for real and calls back with its output. */
  | { kind: 'exec'; cmd: string; usage?: FakeUsage }
  /** A plain HTTP error with an OpenAI-shaped error body. */
  | { kind: 'http-error'; status: number; message: string }
  /** A stream that starts and then ends with `response.failed`. */
  | { kind: 'failed'; message: string; code?: string }
  /** A stream that starts and never finishes, until the client goes away. */
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  /** Path with its query string. */
  url: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

/** A fixed list of answers, one per request in order, or a function of the request. */
export type FakeScript = FakeResponse[] | ((request: RecordedRequest, index: number) => FakeResponse);

export interface FakeResponsesServer {
  /** `http://127.0.0.1:PORT/v1`, the provider's base URL. */
  baseUrl: string;
  /** Every request received, in order, including the ones answered 404. */
  requests: RecordedRequest[];
  /** Only the `POST /v1/responses` requests. */
  responseRequests(): RecordedRequest[];
  close(): Promise<void>;
}

const defaultUsage: FakeUsage = { inputTokens: 100, cachedTokens: 0, outputTokens: 10 };

/** Start a scripted fake of the OpenAI Responses API on 127.0.0.1 and a random port. */
export async function startFakeResponsesServer(script: FakeScript): Promise<FakeResponsesServer> {
  const requests: RecordedRequest[] = [];
  let answered = 0;
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body: parseJson(text),
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0];
      if (recorded.method !== 'POST' || path !== '/v1/responses') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `no route ${recorded.method} ${path}`, type: 'not_found' } }));
        return;
      }
      const index = answered++;
      const step = typeof script === 'function' ? script(recorded, index) : script[index];
      answer(
        response,
        step ?? { kind: 'http-error', status: 400, message: `script has no answer #${index + 1}` },
        index,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    responseRequests: () => requests.filter((entry) => entry.url.split('?')[0] === '/v1/responses'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(response: ServerResponse, step: FakeResponse, index: number): void {
  if (step.kind === 'http-error') {
    response.writeHead(step.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: step.message, type: 'invalid_request_error', code: null } }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const id = `resp_fake_${index + 1}`;
  const send = (type: string, payload: Record<string, unknown>) =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
  send('response.created', { response: { id, object: 'response', status: 'in_progress', output: [] } });
  switch (step.kind) {
    case 'hang':
      return; // the socket stays open; closeAllConnections or the client ends it
    case 'failed':
      send('response.failed', {
        response: { id, status: 'failed', error: { code: step.code ?? 'server_error', message: step.message } },
      });
      response.end();
      return;
    case 'text': {
      const item = { type: 'message', id: `msg_${index + 1}`, role: 'assistant', status: 'in_progress', content: [] };
      send('response.output_item.added', { output_index: 0, item });
      send('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: step.text });
      const done = {
        ...item,
        status: 'completed',
        content: [{ type: 'output_text', text: step.text, annotations: [] }],
      };
      send('response.output_item.done', { output_index: 0, item: done });
      complete(send, id, done, step.usage);
      return void response.end();
    }
    case 'exec': {
      const item = {
        type: 'function_call',
        id: `fc_${index + 1}`,
        call_id: `call_${index + 1}`,
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: step.cmd }),
        status: 'completed',
      };
      send('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } });
      send('response.output_item.done', { output_index: 0, item });
      complete(send, id, item, step.usage);
      return void response.end();
    }
  }
}

function complete(
  send: (type: string, payload: Record<string, unknown>) => void,
  id: string,
  item: object,
  usage: FakeUsage = defaultUsage,
): void {
  send('response.completed', {
    response: {
      id,
      object: 'response',
      status: 'completed',
      output: [item],
      usage: {
        input_tokens: usage.inputTokens,
        input_tokens_details: {
          cached_tokens: usage.cachedTokens ?? 0,
          cache_write_tokens: usage.cacheWriteTokens ?? 0,
        },
        output_tokens: usage.outputTokens,
        output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    },
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
