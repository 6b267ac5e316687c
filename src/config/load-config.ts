import { relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { agentSchema, budgetsSchema, notifySchema, stallSchema } from './run-schema.ts';
import { configSchema, feedbackSchema, gateSchema, reportSchema, type SluiceConfig } from './schema.ts';
import { closestMatch } from './suggest.ts';

/** Validate config text; `fileLabel` names the file in error messages. */
export function parseConfigText(text: string, fileLabel: string): SluiceConfig {
  return parseYamlText(text, fileLabel, configSchema, { what: 'config', knownKeysAt });
}

export interface YamlSchemaOptions {
  /** What the file is, for the first line of the error: "invalid <what>". */
  what: string;
  /** The keys allowed at a path, to suggest one for a typo. */
  knownKeysAt?: (path: string[]) => string[];
}

/**
 * Parse YAML text and validate it with a zod schema; every problem is reported as
 * `file:line:column: what was expected` in one ConfigError (sluice.yaml, workflow files).
 */
export function parseYamlText<T>(text: string, fileLabel: string, schema: z.ZodType<T>, options: YamlSchemaOptions): T {
  const label = relative(process.cwd(), fileLabel) || fileLabel;
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check compares each key with every other (10,000 gates: seconds).
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (document.errors.length === 0) {
    const duplicate = firstDuplicateKey(document.contents);
    if (duplicate) {
      const position = lineCounter.linePos(duplicate.offset);
      throw new ConfigError(
        `invalid YAML\n${label}:${position.line}:${position.col}: Map keys must be unique ("${duplicate.key}" is there twice)`,
      );
    }
  }
  if (document.errors.length > 0) {
    const lines = document.errors.slice(0, 5).map((error) => {
      const offset =
        error.code === 'MISSING_CHAR' ? openingQuoteOffset(text, error.message, error.pos[0]) : error.pos[0];
      const position = lineCounter.linePos(offset);
      const hint = yamlHints[error.code] ?? '';
      return `${label}:${position.line}:${position.col}: ${firstLine(error.message)}${hint}`;
    });
    throw new ConfigError(`invalid YAML\n${lines.join('\n')}`);
  }
  const value = documentValue(document, label) ?? {};
  const protoKeys = protoKeyPaths(value, []);
  if (protoKeys.length > 0) {
    const lines = protoKeys.slice(0, 10).map((path) => {
      const position = lineCounter.linePos(locate(document.contents, path, true));
      return `${label}:${position.line}:${position.col}: ${path.join('.')}: ${protoKeyMessage(path)}`;
    });
    throw new ConfigError(`invalid ${options.what}\n${lines.join('\n')}`);
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const keysAt = options.knownKeysAt ?? (() => []);
  const lines = result.error.issues
    .flatMap(splitUnknownKeys)
    .map((issue) => describeIssue(issue, document.contents, lineCounter, label, keysAt))
    .sort((a, b) => a.line - b.line || a.col - b.col)
    .slice(0, 10)
    .map((entry) => entry.text);
  throw new ConfigError(`invalid ${options.what}\n${lines.join('\n')}`);
}

/** The first key a YAML mapping holds twice, anywhere in the document, in one pass. */
function firstDuplicateKey(root: Node | null): { key: string; offset: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) return { key: String(key), offset: rangeStart(pair.key) };
        seen.add(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

/**
 * Aliases may expand a small file into billions of nodes (a "billion laughs" bomb). yaml counts
 * expanded aliases against `maxAliasCount` and throws a ReferenceError past it; that is the user's
 * file being wrong, not Sluice failing, so it becomes a ConfigError (exit 2).
 */
const maxAliasCount = 100;

function documentValue(document: ReturnType<typeof parseDocument>, label: string): unknown {
  try {
    return document.toJS({ maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new ConfigError(
        `${label}: too many YAML aliases (more than ${maxAliasCount} alias expansions; anchors that expand into each other look like a "billion laughs" attack)`,
        { cause: error },
      );
    }
    // What yaml finds only while building the value: a YAML 1.1 merge key (`<<:`) given something that is no map.
    throw new ConfigError(`invalid YAML\n${label}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Paths of `__proto__` keys. Validation skips them and plain objects cannot hold them (assigning one
 * replaces the prototype), so a gate named `__proto__` would silently vanish: refuse it by name.
 */
function protoKeyPaths(value: unknown, path: string[]): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  const own = !Array.isArray(value) && Object.hasOwn(value, '__proto__') ? [[...path, '__proto__']] : [];
  return [...own, ...entries.flatMap(([key, item]) => protoKeyPaths(item, [...path, key]))];
}

function protoKeyMessage(path: string[]): string {
  const section = path.length === 2 ? { gates: 'gate', services: 'service' }[path[0] ?? ''] : undefined;
  if (section) return `${section} name "__proto__" is reserved by JavaScript; choose another name`;
  return 'the key "__proto__" is not allowed';
}

// What the user most likely meant when YAML rejects a line.
const yamlHints: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (a value containing ": " must be quoted: run: "echo a: b")',
  TAB_AS_INDENT: ' (indent with spaces, not tabs)',
};

/** One issue per unknown key, so every typo is reported, not only the first. */
function splitUnknownKeys(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'unrecognized_keys' || issue.keys.length < 2) return [issue];
  return issue.keys.map((key) => ({ ...issue, keys: [key] }));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

interface LocatedIssue {
  line: number;
  col: number;
  text: string;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  root: Node | null,
  lineCounter: LineCounter,
  label: string,
  knownKeysAt: (path: string[]) => string[],
): LocatedIssue {
  const path = issue.path.map(String);
  let keyPath = path;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    keyPath = [...path, key];
    message = `unknown key "${key}"${suggestKey(key, knownKeysAt(path))}`;
  } else if (issue.code === 'invalid_type') {
    message =
      issue.input === undefined
        ? `missing "${path.at(-1)}" (expected ${issue.expected})`
        : `expected ${article(issue.expected)}, got ${describeValue(issue.input)}`;
  } else if (issue.code === 'invalid_key') {
    keyPath = path;
    message = issue.issues[0]?.message ?? message;
  } else if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  const atKey = issue.code === 'unrecognized_keys' || issue.code === 'invalid_key';
  const offset = locate(root, keyPath, atKey);
  const position = lineCounter.linePos(offset);
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  return {
    line: position.line,
    col: position.col,
    text: `${label}:${position.line}:${position.col}: ${where}${message}`,
  };
}

/** Offset of the deepest node on `path` that exists (the key itself when `atKey`). */
function locate(root: Node | null, path: string[], atKey: boolean): number {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return offset;
      offset = rangeStart(last && atKey ? pair.key : (pair.value ?? pair.key));
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return offset;
      offset = rangeStart(item);
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}

const runSections = { agent: agentSchema, budgets: budgetsSchema, stall: stallSchema, notify: notifySchema };

function knownKeysAt(path: string[]): string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path[0] === 'gates' && path.length === 2) return Object.keys(gateSchema.shape);
  if (path[0] === 'gates' && path[2] === 'report') return Object.keys(reportSchema.shape);
  if (path[0] === 'feedback') return Object.keys(feedbackSchema.shape);
  const section = path.length === 1 ? runSections[path[0] as keyof typeof runSections] : undefined;
  if (section) return Object.keys(section.shape);
  return [];
}

function suggestKey(key: string, known: string[]): string {
  const close = closestMatch(key, known);
  if (close) return ` (did you mean "${close}"?)`;
  return known.length > 0 ? ` (expected one of ${known.join(', ')})` : '';
}

/** An unclosed quote is reported at the end of the file; point at where it was opened instead. */
function openingQuoteOffset(text: string, message: string, fallback: number): number {
  const quote = message.includes('"quote') ? '"' : message.includes("'quote") ? "'" : undefined;
  if (!quote) return fallback;
  const opened = text.lastIndexOf(quote, fallback);
  return opened >= 0 ? opened : fallback;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
