import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import type { HttpRequestConfig } from '../../config/e2e-schema.ts';
import { compileTextPattern } from '../text-pattern.ts';

/** One way a response differs from what the request expects (a Failure without its request's name). */
export interface Mismatch {
  message: string;
  expected?: string;
  received?: string;
}

/** What check needs of a response: status, headers (case-insensitive names) and the body as text. */
export interface CheckedResponse {
  status: number;
  statusText?: string;
  headers: Headers;
  body: string;
}

type Expectations = HttpRequestConfig['expect'];

const snippetLength = 200;

/** Every mismatch between a response and its expectations: status, headers, JSON fields, body; none when it fits. */
export async function checkResponse(expect: Expectations, response: CheckedResponse): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  const statuses = [expect.status].flat();
  if (!statuses.includes(response.status)) {
    const status = `status ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const body = snippet(response.body);
    mismatches.push({
      message: body ? `${status}\nbody: ${body}` : status,
      expected: statuses.join(' or '),
      received: String(response.status),
    });
  }
  for (const [name, source] of Object.entries(expect.headers)) {
    const value = response.headers.get(name);
    const pattern = compilePattern(source);
    if (typeof pattern === 'string') mismatches.push({ message: `header ${name}: ${pattern}` });
    else if (value === null || !pattern.test(value)) {
      mismatches.push({
        message: `header ${name} ${value === null ? 'is missing' : 'does not match'}`,
        expected: source,
        received: value ?? '(absent)',
      });
    }
  }
  mismatches.push(...(await checkJsonFields(expect.json, response.body)));
  if (expect.body !== undefined) {
    const pattern = compilePattern(expect.body);
    if (typeof pattern === 'string') mismatches.push({ message: `body: ${pattern}` });
    else if (!pattern.test(response.body)) {
      mismatches.push({ message: 'body does not match', expected: expect.body, received: snippet(response.body) });
    }
  }
  return mismatches;
}

/** Each key is a JSONata expression evaluated on the parsed body; its result must deep-equal the value. */
export async function checkJsonFields(fields: Record<string, unknown>, body: string): Promise<Mismatch[]> {
  const entries = Object.entries(fields);
  if (entries.length === 0) return [];
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return [{ message: body.trim() === '' ? 'body is empty, not JSON' : `body is not JSON: ${snippet(body)}` }];
  }
  const mismatches: Mismatch[] = [];
  for (const [path, expected] of entries) {
    let expression: ReturnType<typeof jsonata>;
    let received: unknown;
    try {
      expression = jsonata(path);
    } catch (error) {
      mismatches.push({ message: `invalid JSONata path ${JSON.stringify(path)}: ${(error as Error).message}` });
      continue;
    }
    try {
      received = await expression.evaluate(document);
    } catch (error) {
      mismatches.push({ message: `JSONata path ${JSON.stringify(path)} failed: ${(error as Error).message}` });
      continue;
    }
    const value = plainJson(received);
    if (value === undefined || !isDeepStrictEqual(value, expected)) {
      mismatches.push({
        message: `JSON ${path} ${value === undefined ? 'is missing' : 'differs'}`,
        expected: JSON.stringify(expected) ?? 'undefined',
        received: value === undefined ? '(nothing at that path)' : JSON.stringify(value),
      });
    }
  }
  return mismatches;
}

/** JSONata results carry extra properties (sequences are flagged arrays); compare only their JSON. */
function plainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function compilePattern(source: string): ReturnType<typeof compileTextPattern> | string {
  try {
    return compileTextPattern(source);
  } catch (error) {
    return (error as Error).message;
  }
}

/** The start of a body, on one line, for a message. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= snippetLength ? flat : `${flat.slice(0, snippetLength)}…`;
}
