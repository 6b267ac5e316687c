// Bounds the search in an output full of lines that open a bracket and never close it.
const maxScannedCharacters = 20_000_000;

/**
 * The last complete JSON object or array that starts a line of `text`, read from its first line to its
 * closing bracket. Documents at the start of a line are preferred to indented ones, which are usually
 * the inside of a pretty-printed document.
 */
export function lastJsonDocument(text: string): { value: unknown; text: string } | undefined {
  const flush: number[] = [];
  const indented: number[] = [];
  for (const match of text.matchAll(/^([ \t]*)[{[]/gm)) {
    (match[1] === '' ? flush : indented).push(match.index + (match[1]?.length ?? 0));
  }
  let budget = maxScannedCharacters;
  for (const starts of [flush, indented]) {
    for (const start of starts.reverse()) {
      const stop = Math.min(text.length, start + budget);
      const end = closingIndex(text, start, stop);
      budget -= (end ?? stop) - start;
      if (end !== undefined) {
        try {
          const document = text.slice(start, end);
          return { value: JSON.parse(document), text: document };
        } catch {
          // A line like `[INFO] ready` or `{ not json }`: try the one before it.
        }
      }
      if (budget <= 0) return undefined;
    }
  }
  return undefined;
}

/** The index after the bracket that closes the one at `start` (before `stop`), skipping brackets inside strings. */
function closingIndex(text: string, start: number, stop: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < stop; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return undefined;
}
