/** A JSON report as far as it could be read, and what got in the way. */
export interface JsonDocument {
  value: unknown;
  problems: string[];
}

const closerOf: Record<string, string> = { '{': '}', '[': ']' };

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let position = 0; position < index && position < text.length; position++) {
    if (text.charCodeAt(position) === 10) line++;
  }
  return line;
}

/**
 * Cuts a JSON text that ended early after the last complete object or array and closes what is still open,
 * so the values written before the cut can still be read. Returns undefined when nothing complete was written.
 */
function closeTruncatedJson(text: string): { closed: string; cutAt: number } | undefined {
  const openers: string[] = [];
  let inString = false;
  let escaped = false;
  let cut: { index: number; openers: string } | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') openers.push(char);
    else if (char === '}' || char === ']') {
      openers.pop();
      if (openers.length > 0) cut = { index: index + 1, openers: openers.join('') };
    }
  }
  if (!cut) return undefined;
  const closers = [...cut.openers]
    .reverse()
    .map((opener) => closerOf[opener] ?? '')
    .join('');
  return { closed: text.slice(0, cut.index) + closers, cutAt: cut.index };
}

// Reports written on one line (jest, eslint) are better placed by character than by line.
function placeOf(body: string, index: number, skippedLines: number): string {
  const line = lineNumberAt(body, index);
  return body.trimEnd().includes('\n') ? `line ${skippedLines + line}` : `character ${index} of ${body.length}`;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Reads a JSON report that should start with `opener`. Skips lines printed before it (an npm banner),
 * and reads a report that was cut off up to its last complete entry.
 */
export function readJsonDocument(text: string, opener: '[' | '{'): JsonDocument {
  if (text.trim() === '') return { value: undefined, problems: ['report is empty'] };
  const start = text.startsWith(opener) ? 0 : text.search(opener === '[' ? /^[ \t]*\[/m : /^[ \t]*\{/m);
  if (start < 0) return { value: undefined, problems: [`no JSON ${opener === '[' ? 'array' : 'object'} found`] };
  const problems: string[] = [];
  const skippedLines = lineNumberAt(text, start) - 1;
  if (skippedLines > 0) problems.push(`ignored ${skippedLines} line(s) before the JSON`);
  const body = text.slice(start);
  const whole = tryParse(body);
  if (whole.ok) return { value: whole.value, problems };
  const repaired = closeTruncatedJson(body);
  const partial = repaired === undefined ? undefined : tryParse(repaired.closed);
  if (partial?.ok && repaired !== undefined) {
    problems.push(
      `JSON is cut off or broken after ${placeOf(body, repaired.cutAt, skippedLines)}; read the entries before it`,
    );
    return { value: partial.value, problems };
  }
  problems.push(`not valid JSON: ${whole.error}`);
  return { value: undefined, problems };
}

/** Narrows an unknown JSON value to a plain object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined when absent or of another type. */
export function stringField(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or undefined when absent or of another type. */
export function numberField(source: Record<string, unknown>, key: string): number | undefined {
  const value = source[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
