/** A `must`/`ready`/header pattern from sluice.yaml: plain text to contain, or `/regex/flags`. */
export interface TextPattern {
  /** As written in sluice.yaml. */
  source: string;
  test(text: string): boolean;
}

const regexLiteral = /^\/(.+)\/([dgimsuvy]*)$/s;

/** Compile a pattern; an invalid `/regex/` throws with the pattern named. */
export function compileTextPattern(source: string): TextPattern {
  const literal = regexLiteral.exec(source);
  if (!literal) return { source, test: (text) => text.includes(source) };
  let regex: RegExp;
  try {
    // `g` and `y` make test() stateful across lines; a pattern only asks "does it match".
    regex = new RegExp(literal[1] as string, (literal[2] ?? '').replace(/[gy]/g, ''));
  } catch (error) {
    throw new TypeError(`invalid pattern ${source}: ${(error as Error).message}`);
  }
  return { source, test: (text) => regex.test(text) };
}
