/**
 * A name bound on a line of its own in a test, with the value it holds: `const expected = total(xs);`,
 * `expected = total(xs)`, `want := Total(xs)`, `got, err := Div(6, 3)`, `let expected = total(&xs);`.
 */
const binding =
  /^\s*(?:(?:const|let|var)\s+|let\s+(?:mut\s+)?)?([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)(?:\s*:\s*[\w.<>[\]]+)?\s*(?::=|=(?![=>]))\s*(.+?);?\s*$/;

/** Sources split into lines, the last few: a file's assertions are read one after another, at both sides. */
const splitSources = new Map<string, string[]>();

function linesOf(source: string): string[] {
  let lines = splitSources.get(source);
  if (!lines) {
    if (splitSources.size >= 4) splitSources.delete(splitSources.keys().next().value ?? '');
    lines = source.split('\n');
    splitSources.set(source, lines);
  }
  return lines;
}

/** Names a value reads besides the functions it calls: `xs` of `total(xs)`, `cart` of `cart.total()`. */
function readNames(value: string): string[] {
  const names = value
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '')
    .match(/(?<![\w$.])[A-Za-z_$][\w$]*(?!\s*\()/g);
  return names ?? [];
}

/**
 * Drops the values that a statement between the binding and the assertion may change: a call that reads a name
 * they read (`cart.add(item)` after `before = cart.total()`). Comparing the state before and after such a call
 * is a real check, not the code compared with itself.
 */
function forgetChanged(values: Map<string, string>, line: string): void {
  if (!line.includes('(')) return;
  const touched = new Set(readNames(line));
  for (const [name, value] of values) {
    if (readNames(value).some((read) => touched.has(read))) values.delete(name);
  }
}

/**
 * `text` with each name bound between `fromLine` and `toLine` (1-based, exclusive) of `source` replaced by the
 * value bound last, in parentheses: `expect(total(xs)).toBe(expected)` after `const expected = total(xs)` reads
 * `expect(total(xs)).toBe((total(xs)))`. Undefined when no name of `text` is bound there.
 */
export function withBoundValues(text: string, source: string, fromLine: number, toLine: number): string | undefined {
  const values = new Map<string, string>();
  const lines = linesOf(source).slice(Math.max(fromLine - 1, 0), Math.max(toLine - 1, 0));
  for (const line of lines) {
    const found = binding.exec(line);
    // A trailing comment (`expected = 6  # cents`) is no part of the value.
    const value = found?.[2]?.replace(/\s+(?:#|\/\/)[^"'`]*$/, '');
    if (!found?.[1] || !value) {
      forgetChanged(values, line);
      continue;
    }
    // `got, err := Div(6, 3)`, `q, r = divmod(7, 2)`: each name holds its own part of the value.
    const names = found[1].split(',').map((name) => name.trim());
    for (const [index, name] of names.entries()) values.set(name, names.length > 1 ? `${value}[${index}]` : value);
  }
  if (values.size === 0) return undefined;
  let replaced = false;
  // Strings are matched whole so that the words inside them (`"want 2"`) stay as written.
  const words = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$])/g;
  const result = text.replace(words, (name) => {
    const value = values.get(name);
    if (value === undefined) return name;
    replaced = true;
    return `(${value})`;
  });
  return replaced ? result : undefined;
}
