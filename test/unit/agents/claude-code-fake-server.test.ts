import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type FakeStep,
  lastUserText,
  startFakeAnthropicServer,
  textReply,
  toolUseReply,
} from '../../support/fake-anthropic-server.ts';

async function serve(script: FakeStep[], fallback?: FakeStep) {
  const server = await startFakeAnthropicServer(script, fallback ? { fallback } : {});
  onTestFinished(() => server.close());
  const post = (body: unknown, path = '/v1/messages?beta=true') =>
    fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { server, post };
}

const request = (text: string, stream = true) => ({
  model: 'claude-test',
  stream,
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
});

/** The SSE events of a streamed answer, as [event name, data]. */
async function events(response: Response): Promise<Array<[string, Record<string, unknown>]>> {
  const text = await response.text();
  return text
    .trim()
    .split('\n\n')
    .map((chunk) => {
      const [eventLine = '', dataLine = ''] = chunk.split('\n');
      return [eventLine.replace('event: ', ''), JSON.parse(dataLine.replace('data: ', ''))];
    });
}

describe('fake Anthropic server', () => {
  it('streams a scripted tool call as the Messages API does, usage in message_start and message_delta', async () => {
    const usage = { input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 11, cache_creation_input_tokens: 13 };
    const { server, post } = await serve([toolUseReply('Write', { file_path: 'a.txt', content: 'a' }, usage)]);
    const response = await post(request('write a.txt'));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const stream = await events(response);
    expect(stream.map(([name]) => name)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(stream[0]?.[1]).toMatchObject({
      message: { model: 'claude-test', stop_reason: null, usage: { ...usage, output_tokens: 0 } },
    });
    expect(stream[1]?.[1]).toMatchObject({ content_block: { type: 'tool_use', name: 'Write', input: {} } });
    expect(stream[2]?.[1]).toMatchObject({ delta: { partial_json: '{"file_path":"a.txt","content":"a"}' } });
    expect(stream[4]?.[1]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage });
    expect(server.reportedUsage()).toEqual(usage);
  });

  it('answers from a function of the request, then the fallback, and records every request', async () => {
    const { server, post } = await serve(
      [(body) => textReply(lastUserText(body).includes('feedback') ? 'saw it' : 'missed it')],
      { error: { status: 529, type: 'overloaded_error', message: 'busy' } },
    );
    const first = await post(request('here is the feedback', false));
    expect(await first.json()).toMatchObject({ content: [{ type: 'text', text: 'saw it' }], stop_reason: 'end_turn' });
    const second = await post(request('again'));
    expect(second.status).toBe(529);
    expect(await second.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
    expect((await post({}, '/v1/messages/count_tokens')).status).toBe(404);
    expect((await fetch(`${server.url}/api/hello`, { method: 'HEAD' })).status).toBe(404);
    expect(server.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'POST /v1/messages?beta=true',
      'POST /v1/messages?beta=true',
      'POST /v1/messages/count_tokens',
      'HEAD /api/hello',
    ]);
    expect(server.messageRequests().map(lastUserText)).toEqual(['here is the feedback', 'again']);
  });

  it('closes while an answer is still delayed', async () => {
    const server = await startFakeAnthropicServer([{ ...textReply('late'), delayMs: 60_000 }]);
    const pending = fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify(request('hi')) });
    await expect.poll(() => server.requests.length).toBe(1);
    await server.close();
    await expect(pending).rejects.toThrow();
  });
});
