import { monotonicNow } from '../../clock.ts';
import { emptyUsage, type ModelUsage } from '../../usage/model-usage.ts';
import { reportedRunUsage } from './run-usage.ts';
import { type ApiMessage, type ClaudeResultEvent, parseStreamLine, type TokenUsage } from './stream-events.ts';

/** Claude Code's stand-in for messages it made up itself (an API error shown as a reply): no model, no usage. */
const syntheticModel = '<synthetic>';

interface MessageRecord {
  model: string;
  usage: TokenUsage;
  /** Its message_delta arrived: the usage is the API's final count. */
  final: boolean;
}

/**
 * Folds Claude Code's stream-json, line by line, into what a turn reports: the session, the
 * running usage per model while the turn runs, and the `result` events.
 */
export class ClaudeStreamReader {
  sessionId: string | undefined;
  /** The model of the session (from the init event), which usage without a better key goes to. */
  mainModel: string | undefined;
  /** Every result event, in order; usually one. */
  readonly results: ClaudeResultEvent[] = [];
  /** The last event was a result: the model is done unless something (a background command ending) wakes it. */
  idleAfterResult = false;
  #lastText: string | undefined;
  readonly #messages = new Map<string, MessageRecord>();
  readonly #now: () => number;
  #requestStartedAt: number | undefined;
  #measuredApiMs = 0;

  /** `now` is the clock that times API requests as their events arrive. */
  constructor(now: () => number = () => monotonicNow()) {
    this.#now = now;
  }

  /** The last result event, which decides the turn's outcome. */
  get result(): ClaudeResultEvent | undefined {
    return this.results.at(-1);
  }

  /** Fold one stdout line in; true when the running usage changed. */
  read(line: string): boolean {
    const event = parseStreamLine(line);
    switch (event.kind) {
      case 'init':
        this.sessionId = event.sessionId;
        this.mainModel = event.model;
        return false;
      case 'request-start':
        this.idleAfterResult = false;
        this.#requestStartedAt ??= this.#now();
        return false;
      case 'message-stop':
        if (this.#requestStartedAt !== undefined) this.#measuredApiMs += this.#now() - this.#requestStartedAt;
        this.#requestStartedAt = undefined;
        return false;
      case 'assistant':
        this.idleAfterResult = false;
        this.#rememberText(event.message);
        return this.#record(event.message.id, event.message.model, event.message.usage, false);
      case 'message-start':
        this.idleAfterResult = false;
        return this.#record(event.message.id, event.message.model, event.message.usage, false);
      case 'message-delta': {
        const known = this.#messages.get(event.messageId);
        return known ? this.#record(event.messageId, known.model, event.usage, true) : false;
      }
      case 'result':
        this.results.push(event.result);
        this.idleAfterResult = true;
        if (event.result.session_id) this.sessionId = event.result.session_id;
        return false;
      case 'garbage':
      case 'other':
        return false;
    }
  }

  /** Usage so far, from the API messages seen; cost is unknown until Claude Code reports it at the end. */
  runningUsage(): ModelUsage[] {
    const byModel = new Map<string, ModelUsage>();
    for (const message of this.#messages.values()) {
      const model = this.#canonicalModel(message.model, []);
      const sum = byModel.get(model) ?? { ...emptyUsage(model), costUsd: null };
      byModel.set(model, {
        ...sum,
        inputTokens: sum.inputTokens + (message.usage.input_tokens ?? 0),
        outputTokens: sum.outputTokens + (message.usage.output_tokens ?? 0),
        cacheReadTokens: sum.cacheReadTokens + (message.usage.cache_read_input_tokens ?? 0),
        cacheWriteTokens: sum.cacheWriteTokens + (message.usage.cache_creation_input_tokens ?? 0),
        turns: sum.turns + 1,
      });
    }
    return [...byModel.values()];
  }

  /**
   * The turn's usage: tokens and cost per model as Claude Code counted them for this run, when there
   * is a result, else the running usage. Turns are the API messages seen per model. Claude Code
   * reports API time for the whole process only, so it goes to the main model; on a resumed session
   * it reports the session's total, so there the time measured from the request events is used.
   */
  finalUsage(options: { resumed?: boolean } = {}): ModelUsage[] {
    const result = this.result;
    if (!result) return this.runningUsage();
    const apiMs = options.resumed ? Math.round(this.#measuredApiMs) : (result.duration_api_ms ?? 0);
    const reported = reportedRunUsage(this.results);
    const models = [...reported.keys()];
    const main = this.mainModel && models.includes(this.mainModel) ? this.mainModel : models[0];
    const turns = new Map<string, number>();
    for (const message of this.#messages.values()) {
      const model = this.#canonicalModel(message.model, models);
      const key = models.includes(model) ? model : main;
      if (key !== undefined) turns.set(key, (turns.get(key) ?? 0) + 1);
    }
    return [...reported].map(([model, usage]) => ({
      model,
      ...usage,
      apiMs: model === main ? apiMs : 0,
      turns: turns.get(model) ?? 0,
    }));
  }

  /** The agent's last words: the result text of a successful run, else the last text it streamed. */
  finalMessage(): string | undefined {
    if (this.result && !this.result.is_error && this.result.result !== undefined) return this.result.result;
    return this.#lastText;
  }

  #record(id: string, model: string, usage: TokenUsage, final: boolean): boolean {
    if (model === syntheticModel) return false;
    const known = this.#messages.get(id);
    if (known?.final && !final) return false;
    const merged = { ...known?.usage, ...definedOnly(usage) };
    this.#messages.set(id, { model: known?.model ?? model, usage: merged, final: final || (known?.final ?? false) });
    return !known || !sameUsage(known.usage, merged);
  }

  #rememberText(message: ApiMessage): void {
    if (message.model === syntheticModel) return;
    const text = message.content
      .flatMap((block) => (block.type === 'text' && block.text ? [block.text] : []))
      .join('\n');
    if (text !== '') this.#lastText = text;
  }

  /** The API answers an alias (`claude-sonnet-4-5`) with a dated id (`claude-sonnet-4-5-20250929`): count both as one. */
  #canonicalModel(model: string, known: string[]): string {
    const candidates = [...known, ...(this.mainModel ? [this.mainModel] : [])];
    return candidates.find((candidate) => model === candidate || model.startsWith(`${candidate}-`)) ?? model;
  }
}

function definedOnly(usage: TokenUsage): TokenUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined));
}

function sameUsage(a: TokenUsage, b: TokenUsage): boolean {
  return (
    a.input_tokens === b.input_tokens &&
    a.output_tokens === b.output_tokens &&
    a.cache_read_input_tokens === b.cache_read_input_tokens &&
    a.cache_creation_input_tokens === b.cache_creation_input_tokens
  );
}
