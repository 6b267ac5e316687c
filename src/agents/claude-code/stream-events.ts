import { z } from 'zod';

// Only the fields Sluice reads; everything else in Claude Code's stream-json is ignored, so a
// newer CLI that adds fields still parses.

const count = z.number().int().min(0).catch(0);

const tokenUsageSchema = z.object({
  input_tokens: count.optional(),
  output_tokens: count.optional(),
  cache_read_input_tokens: count.optional(),
  cache_creation_input_tokens: count.optional(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

const apiMessageSchema = z.object({
  id: z.string(),
  model: z.string(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })).catch([]),
  usage: tokenUsageSchema.catch({}),
});

const systemEventSchema = z.discriminatedUnion('subtype', [
  z.object({ subtype: z.literal('init'), session_id: z.string(), model: z.string().optional() }),
  // Sent as each API request starts; with message_stop it brackets the time spent waiting on the API.
  z.object({ subtype: z.literal('status'), status: z.string() }),
]);

const assistantEventSchema = z.object({
  type: z.literal('assistant'),
  message: apiMessageSchema,
  session_id: z.string().optional(),
});

// Raw API events, present with `--include-partial-messages`: message_delta carries the final output tokens.
const streamEventSchema = z.object({
  type: z.literal('stream_event'),
  api_message_id: z.string().optional(),
  event: z.discriminatedUnion('type', [
    z.object({ type: z.literal('message_start'), message: apiMessageSchema }),
    z.object({ type: z.literal('message_delta'), usage: tokenUsageSchema.catch({}) }),
    z.object({ type: z.literal('message_stop') }),
  ]),
});

const modelUsageSchema = z.object({
  inputTokens: count,
  outputTokens: count,
  cacheReadInputTokens: count,
  cacheCreationInputTokens: count,
  costUSD: z.number().min(0).optional().catch(undefined),
  /** `unknown` when the model is missing from Claude Code's own price list: its cost is then a guess. */
  costBasis: z.string().optional().catch(undefined),
});
export type ClaudeModelUsage = z.infer<typeof modelUsageSchema>;

const noUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
const modelUsageMapSchema = z.record(z.string(), modelUsageSchema.catch(noUsage)).catch({});

const resultEventSchema = z.object({
  type: z.literal('result'),
  subtype: z.string().catch('unknown'),
  is_error: z.boolean().catch(true),
  session_id: z.string().optional().catch(undefined),
  num_turns: count.optional(),
  duration_api_ms: count.optional(),
  total_cost_usd: z.number().min(0).optional().catch(undefined),
  result: z.string().optional().catch(undefined),
  errors: z.array(z.string()).optional().catch(undefined),
  api_error_status: z.number().nullable().optional().catch(undefined),
  terminal_reason: z.string().optional().catch(undefined),
  /** Per model, for the whole session: on `--resume` it includes the earlier runs (so do cost and API time). */
  modelUsage: modelUsageMapSchema,
  /** Per model, for this run only. */
  model_usage_since_last_result: modelUsageMapSchema.optional().catch(undefined),
});
export type ClaudeResultEvent = z.infer<typeof resultEventSchema>;

export type ApiMessage = z.infer<typeof apiMessageSchema>;

/** One stdout line of `claude -p --output-format stream-json --verbose`, reduced to what Sluice uses. */
export type ClaudeStreamEvent =
  | { kind: 'init'; sessionId: string; model?: string }
  | { kind: 'request-start' }
  | { kind: 'message-stop' }
  | { kind: 'assistant'; message: ApiMessage }
  | { kind: 'message-start'; message: ApiMessage }
  | { kind: 'message-delta'; messageId: string; usage: TokenUsage }
  | { kind: 'result'; result: ClaudeResultEvent }
  | { kind: 'other' }
  | { kind: 'garbage'; line: string };

/** Parse one line of Claude Code's stream-json; a line that is not JSON is `garbage`, an unknown event `other`. */
export function parseStreamLine(line: string): ClaudeStreamEvent {
  const text = line.trim();
  if (text === '') return { kind: 'other' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'garbage', line: text };
  }
  if (typeof json !== 'object' || json === null) return { kind: 'garbage', line: text };
  switch ((json as { type?: unknown }).type) {
    case 'system':
      return parseSystemEvent(json);
    case 'assistant': {
      const assistant = assistantEventSchema.safeParse(json);
      return assistant.success ? { kind: 'assistant', message: assistant.data.message } : { kind: 'other' };
    }
    case 'stream_event':
      return parseApiEvent(json);
    case 'result': {
      const result = resultEventSchema.safeParse(json);
      return result.success ? { kind: 'result', result: result.data } : { kind: 'garbage', line: text };
    }
    default:
      return { kind: 'other' };
  }
}

function parseSystemEvent(json: unknown): ClaudeStreamEvent {
  const parsed = systemEventSchema.safeParse(json);
  if (!parsed.success) return { kind: 'other' };
  const event = parsed.data;
  if (event.subtype === 'status') return event.status === 'requesting' ? { kind: 'request-start' } : { kind: 'other' };
  return { kind: 'init', sessionId: event.session_id, ...(event.model ? { model: event.model } : {}) };
}

function parseApiEvent(json: unknown): ClaudeStreamEvent {
  const parsed = streamEventSchema.safeParse(json);
  if (!parsed.success) return { kind: 'other' };
  const { event, api_message_id: messageId } = parsed.data;
  switch (event.type) {
    case 'message_start':
      return { kind: 'message-start', message: event.message };
    case 'message_delta':
      return messageId ? { kind: 'message-delta', messageId, usage: event.usage } : { kind: 'other' };
    case 'message_stop':
      return { kind: 'message-stop' };
  }
}
