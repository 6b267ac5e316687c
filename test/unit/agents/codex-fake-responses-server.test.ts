import { describe, expect, it, onTestFinished } from 'vitest';
import { type FakeScript, startFakeResponsesServer } from '../../support/fake-openai-responses-server.ts';

async function start(script: FakeScript) {
  const fake = await startFakeResponsesServer(script);
  onTestFinished(() => fake.close());
  return fake;
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, in order. */
function sseEvents(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      return JSON.parse(data?.slice('data: '.length) ?? '{}') as Record<string, unknown>;
    });
}

describe('the fake OpenAI Responses API (a test double of the model for the real codex)', () => {
  it('streams a scripted text reply as SSE, usage in response.completed, and records the request', async () => {
    const fake = await start([
      { kind: 'text', text: 'hello', usage: { inputTokens: 10, cachedTokens: 4, outputTokens: 2 } },
    ]);
    const response = await post(`${fake.baseUrl}/responses`, { model: 'gpt-5', stream: true, input: [] });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = sseEvents(await response.text());
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_text.delta',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.at(-1)).toMatchObject({
      response: {
        status: 'completed',
        usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 2 },
      },
    });
    expect(fake.responseRequests()).toEqual([
      expect.objectContaining({ method: 'POST', body: { model: 'gpt-5', stream: true, input: [] } }),
    ]);
  });

  it('scripts a shell call as an exec_command function_call', async () => {
    const fake = await start([{ kind: 'exec', cmd: 'touch x' }]);
    const events = sseEvents(await (await post(`${fake.baseUrl}/responses`, {})).text());
    expect(events.find((event) => event.type === 'response.output_item.done')).toMatchObject({
      item: { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"touch x"}' },
    });
  });

  it('answers as a function of the request, an HTTP error, and 404 for other paths, recording them all', async () => {
    const fake = await start((request, index) =>
      JSON.stringify(request.body).includes('break')
        ? { kind: 'http-error', status: 429, message: 'slow down' }
        : { kind: 'text', text: `answer ${index + 1}` },
    );
    const broken = await post(`${fake.baseUrl}/responses`, { input: 'break' });
    expect(broken.status).toBe(429);
    expect(await broken.json()).toMatchObject({ error: { message: 'slow down' } });
    expect(await (await post(`${fake.baseUrl}/responses`, {})).text()).toContain('answer 2');
    expect((await fetch(`${fake.baseUrl}/models`)).status).toBe(404);
    expect(fake.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /v1/responses',
      'POST /v1/responses',
      'GET /v1/models',
    ]);
    expect(fake.responseRequests()).toHaveLength(2);
  });

  it('answers past the end of a fixed script with a 400 that names the missing answer', async () => {
    const fake = await start([]);
    const response = await post(`${fake.baseUrl}/responses`, {});
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('script has no answer #1');
  });
});
