import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token counts one scripted reply reports, named as the Messages API names them. */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

/** One scripted answer: content blocks with usage, or an API error; optionally after a delay. */
export interface FakeReply {
  blocks?: FakeBlock[];
  usage?: Partial<FakeUsage>;
  /** Model named in the answer; defaults to the model the request asked for. */
  model?: string;
  /** Wait this long before answering (a slow model, to abort a turn mid-way). */
  delayMs?: number;
  /** Answer with this HTTP error instead of a message. */
  error?: { status: number; type: string; message: string };
}

/** A request the fake received, with its parsed JSON body (undefined when not JSON). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type FakeStep = FakeReply | ((request: MessagesRequest) => FakeReply);

/** A block of a request message: text, a tool result (string or blocks), an image, ... */
export interface ContentBlock {
  type: string;
  text?: string;
  content?: string | ContentBlock[];
}

/** The parts of a Messages API request body the scripts look at. */
export interface MessagesRequest {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string | ContentBlock[] }>;
  tools?: Array<{ name: string }>;
  [key: string]: unknown;
}

export interface FakeAnthropicServer {
  /** Base URL for `ANTHROPIC_BASE_URL`. */
  url: string;
  /** Every request received, in order, including unknown paths. */
  requests: RecordedRequest[];
  /** Bodies of the `POST /v1/messages` requests only. */
  messageRequests(): MessagesRequest[];
  /** Sum of the usage the fake reported over every answered message. */
  reportedUsage(): FakeUsage;
  /** The usage reported for each answered message, with the model the request asked for, in order. */
  usageLog(): Array<{ model: string; usage: FakeUsage }>;
  close(): Promise<void>;
}

/** A text reply. */
export function textReply(text: string, usage?: Partial<FakeUsage>): FakeReply {
  return { blocks: [{ type: 'text', text }], ...(usage ? { usage } : {}) };
}

/** A reply that calls one tool (Bash, Write, Edit, Read, ...), which Claude Code runs for real. */
export function toolUseReply(name: string, input: Record<string, unknown>, usage?: Partial<FakeUsage>): FakeReply {
  return { blocks: [{ type: 'tool_use', name, input }], ...(usage ? { usage } : {}) };
}

/** All text of the last user message (strings, text blocks and tool results), for request-dependent replies. */
export function lastUserText(request: MessagesRequest): string {
  const last = request.messages.filter((message) => message.role === 'user').at(-1);
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return blocksText(last.content);
}

function blocksText(blocks: ContentBlock[]): string {
  return blocks
    .map((block) => block.text ?? (typeof block.content === 'string' ? block.content : blocksText(block.content ?? [])))
    .join('\n');
}

/**
 * Start a scripted fake of the Anthropic Messages API on 127.0.0.1 (random port). Each
 * `POST /v1/messages` takes the next script step; past the end, `fallback` answers
 * (default: a short text reply). Other paths get 404; all requests are recorded.
 */
export async function startFakeAnthropicServer(
  script: FakeStep[],
  options: {
    fallback?: FakeStep;
    /**
     * Report usage derived from the request instead of the scripted figures (see `usageOfRequest`):
     * for measuring how context grows, where a fixed usage per reply would hide it.
     */
    usageFromRequest?: boolean;
  } = {},
): Promise<FakeAnthropicServer> {
  const requests: RecordedRequest[] = [];
  const prompts: string[] = [];
  const reported: FakeUsage[] = [];
  const usageLog: Array<{ model: string; usage: FakeUsage }> = [];
  const pending = new Set<ServerResponse>();
  let next = 0;
  let messageCount = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = req.url ?? '/';
      const body = parseJson(raw);
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      if (!isMessagesPath(req.method, path)) {
        sendError(res, { status: 404, type: 'not_found_error', message: `no route ${path}` });
        return;
      }
      if (!isMessagesRequest(body)) {
        sendError(res, { status: 400, type: 'invalid_request_error', message: 'body is not a Messages request' });
        return;
      }
      const step = script[next] ?? options.fallback ?? textReply('Done.');
      if (next < script.length) next += 1;
      const reply = typeof step === 'function' ? step(body) : step;
      messageCount += 1;
      pending.add(res);
      res.once('close', () => pending.delete(res));
      const answer = () => {
        if (res.destroyed) return;
        if (reply.error) return sendError(res, reply.error);
        const id = `msg_fake_${messageCount}`;
        const content = (reply.blocks ?? []).map((block, index) =>
          block.type === 'tool_use' ? { ...block, id: block.id ?? `toolu_fake_${messageCount}_${index}` } : block,
        );
        const usage = options.usageFromRequest ? usageOfRequest(body, content, prompts) : fullUsage(reply.usage);
        reported.push(usage);
        usageLog.push({ model: body.model, usage });
        const message = { id, model: reply.model ?? body.model, usage, content };
        if (body.stream) sendStream(res, message);
        else sendJson(res, 200, messageJson(message));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    messageRequests: () =>
      requests
        .filter((request) => isMessagesPath(request.method, request.path))
        .flatMap((request) => (isMessagesRequest(request.body) ? [request.body] : [])),
    usageLog: () => [...usageLog],
    reportedUsage: () =>
      reported.reduce(
        (sum, usage) => ({
          input_tokens: sum.input_tokens + usage.input_tokens,
          output_tokens: sum.output_tokens + usage.output_tokens,
          cache_read_input_tokens: sum.cache_read_input_tokens + usage.cache_read_input_tokens,
          cache_creation_input_tokens: sum.cache_creation_input_tokens + usage.cache_creation_input_tokens,
        }),
        fullUsage({}),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of pending) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface FakeMessage {
  id: string;
  model: string;
  usage: FakeUsage;
  content: Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }>;
}

/** Answer as the streaming API does: server-sent events, one content block at a time. */
function sendStream(res: ServerResponse, message: FakeMessage): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  // As the API does: input counts at the start, the final counts (output included) in message_delta.
  const start = { ...messageJson({ ...message, content: [] }), stop_reason: null };
  event('message_start', { message: { ...start, usage: { ...message.usage, output_tokens: 0 } } });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      event('content_block_start', { index, content_block: { ...block, input: {} } });
      const partial_json = JSON.stringify(block.input);
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
    }
    event('content_block_stop', { index });
  });
  const stop_reason = message.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
  event('message_delta', { delta: { stop_reason, stop_sequence: null }, usage: message.usage });
  event('message_stop', {});
  res.end();
}

/** A whole (non-streamed) message, the shape `stream: false` requests get. */
function messageJson(message: FakeMessage): Record<string, unknown> {
  const stop_reason = message.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return { type: 'message', role: 'assistant', ...message, stop_reason, stop_sequence: null };
}

/** Characters per token of the estimate (no tokenizer is installed; 4 is the usual rule for English and code). */
export const fakeCharsPerToken = 4;

/**
 * Usage as the Messages API would report it for this request, estimated from its size: the prompt
 * (tools, system, messages, in the API's cache order) in tokens of `fakeCharsPerToken` characters,
 * split as prompt caching splits it — the longest prefix shared with an earlier request is a cache
 * read, the rest a cache write (Claude Code marks the end of the conversation for caching), nothing
 * uncached; output is the reply's content. `prompts` keeps the earlier requests' prompts.
 */
export function usageOfRequest(body: MessagesRequest, content: unknown, prompts: string[]): FakeUsage {
  const prompt = JSON.stringify([body.tools ?? [], body.system ?? '', body.messages]);
  let shared = 0;
  for (const earlier of prompts) shared = Math.max(shared, commonPrefixLength(prompt, earlier));
  prompts.push(prompt);
  const total = Math.ceil(prompt.length / fakeCharsPerToken);
  const cached = Math.floor(shared / fakeCharsPerToken);
  return {
    input_tokens: 0,
    output_tokens: Math.ceil(JSON.stringify(content).length / fakeCharsPerToken),
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: total - cached,
  };
}

function commonPrefixLength(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let index = 0;
  while (index < length && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}

function fullUsage(usage: Partial<FakeUsage> | undefined): FakeUsage {
  return {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
  };
}

function sendError(res: ServerResponse, error: { status: number; type: string; message: string }): void {
  sendJson(res, error.status, { type: 'error', error: { type: error.type, message: error.message } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function isMessagesPath(method: string | undefined, path: string): boolean {
  return method === 'POST' && path.split('?')[0] === '/v1/messages';
}

function isMessagesRequest(body: unknown): body is MessagesRequest {
  return typeof body === 'object' && body !== null && Array.isArray((body as { messages?: unknown }).messages);
}
