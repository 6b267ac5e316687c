/**
 * Statements that start a server or print, and return nothing the tests could check: `app.listen(3000)`,
 * `console.log(...)`, `logger.info(...)`, `app.use(morgan('dev'))`; lines that only close them; and block-scoped
 * constants they use that call nothing but a conversion (`const port = Number(process.env.PORT ?? 3000)`).
 */
const sideEffectStatement =
  /^(?:await\s+|void\s+)?(?:(?:[\w$]+\s*\.\s*)*(?:listen|log|info|debug|trace)\s*\(|console\s*\.\s*\w+\s*\(|[\w$]+\s*\.\s*use\s*\(\s*(?:morgan|pinoHttp|expressWinston|requestLogger)\b)|^[\s})\];,]*$|^\/\/|^(?:const|let)\s+[\w$]+\s*=\s*(?:[^;()]|\b(?:Number|String|Boolean|parseInt)\s*\([^;()]*\))*;?$/;

/**
 * Whether the `if` on line `index` (0-based) guards side effects only: its statement, or every line of its block,
 * starts a server or prints (`if (process.env.NODE_ENV !== 'test') app.listen(3000)`, the usual way to import an
 * app in its tests without a port), and no `else` follows. Any other guarded code, or no `if`, is not.
 */
export function guardsSideEffectsOnly(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  const start = /^\s*if\s*\(/.exec(line);
  if (!start) return false;
  const end = closingParen(line, start[0].length);
  if (end === undefined) return false;
  const rest = line.slice(end + 1).trim();
  if (!rest.startsWith('{')) {
    const statement = rest !== '' ? rest : (lines[index + 1]?.trim() ?? '');
    const after = lines[rest !== '' ? index + 1 : index + 2]?.trim() ?? '';
    return statement !== '' && sideEffectStatement.test(statement) && !/^(?:\}\s*)?else\b/.test(after);
  }
  const body: string[] = [rest.slice(1)];
  let depth = braceBalance(rest);
  let at = index + 1;
  for (; depth > 0 && at < lines.length && at <= index + 12; at++) {
    const text = lines[at]?.trim() ?? '';
    depth += braceBalance(text);
    body.push(depth > 0 ? text : text.replace(/\}[^}]*$/, ''));
  }
  if (depth !== 0) return false;
  const closing = lines[at - 1] ?? '';
  if (/\}\s*else\b/.test(closing) || /^\s*else\b/.test(lines[at] ?? '')) return false;
  return body.some((text) => text.trim() !== '') && body.every((text) => sideEffectStatement.test(text.trim()));
}

/** The index of the `)` that closes the `(` just before `from`, ignoring those in string literals. */
function closingParen(line: string, from: number): number | undefined {
  let depth = 1;
  let quote: string | undefined;
  for (let at = from; at < line.length; at++) {
    const char = line.charAt(at);
    if (quote) {
      if (char === '\\') at++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return at;
  }
  return undefined;
}

function braceBalance(text: string): number {
  return (text.match(/\{/g)?.length ?? 0) - (text.match(/\}/g)?.length ?? 0);
}
