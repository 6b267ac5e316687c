import { SluiceError } from '../errors.ts';

// `${{ ... }}` in workflow strings, and `if:`. A deliberately small language: references
// (inputs.<name>, steps.<id>.outputs.<name>, steps.<id>.outcome, workflow.id), quoted strings,
// numbers, true/false, == != && || ! and parentheses. No function calls, nothing that runs code.

/** What expressions can read: the workflow's inputs and the finished steps before this one. */
export interface ExpressionContext {
  workflowId: string;
  inputs: Record<string, string>;
  steps: Record<string, { outcome: string; outputs: Record<string, string> }>;
  /** In a `for_each` step: the item being run (`item.<key>`). */
  item?: Record<string, string>;
}

export class ExpressionError extends SluiceError {
  constructor(message: string) {
    super('WORKFLOW_EXPRESSION', message);
  }
}

type Token =
  | { type: 'ref'; path: string[] }
  | { type: 'literal'; value: string | boolean }
  | { type: 'op'; op: '==' | '!=' | '&&' | '||' | '!' | '(' | ')' };

type Value = string | boolean;

const expressionPattern = /\$\{\{([\s\S]*?)\}\}/g;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const rest = source.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    const op = /^(==|!=|&&|\|\||!|\(|\))/.exec(rest);
    if (op) {
      tokens.push({ type: 'op', op: op[0] as Extract<Token, { type: 'op' }>['op'] });
      index += op[0].length;
      continue;
    }
    const quoted = /^'((?:[^']|'')*)'|^"([^"]*)"/.exec(rest);
    if (quoted) {
      tokens.push({
        type: 'literal',
        value: quoted[1] !== undefined ? quoted[1].replaceAll("''", "'") : (quoted[2] ?? ''),
      });
      index += quoted[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'literal', value: number[0] });
      index += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(rest);
    if (word) {
      if (word[0] === 'true' || word[0] === 'false') tokens.push({ type: 'literal', value: word[0] === 'true' });
      else tokens.push({ type: 'ref', path: word[0].split('.') });
      index += word[0].length;
      continue;
    }
    throw new ExpressionError(`cannot read "${rest.slice(0, 20)}" in expression "${source.trim()}"`);
  }
  return tokens;
}

/** The shapes of reference an expression may name; anything else is a mistake in the file. */
function checkReference(path: string[], source: string): void {
  const [root, second, third, fourth] = path;
  const ok =
    (root === 'inputs' && path.length === 2) ||
    (root === 'workflow' && second === 'id' && path.length === 2) ||
    (root === 'item' && path.length === 2) ||
    (root === 'steps' && path.length === 3 && third === 'outcome') ||
    (root === 'steps' && path.length === 4 && third === 'outputs' && fourth !== undefined);
  if (!ok) {
    throw new ExpressionError(
      `unknown reference "${path.join('.')}" in "${source.trim()}": use inputs.<name>, steps.<id>.outputs.<name>, steps.<id>.outcome, workflow.id or (in a for_each step) item.<key>`,
    );
  }
}

class Parser {
  #position = 0;
  readonly #tokens: Token[];
  readonly #source: string;
  readonly #resolve: (path: string[]) => Value;

  constructor(tokens: Token[], source: string, resolve: (path: string[]) => Value) {
    this.#tokens = tokens;
    this.#source = source;
    this.#resolve = resolve;
  }

  parse(): Value {
    if (this.#tokens.length === 0) throw new ExpressionError('an empty expression');
    const value = this.#or();
    if (this.#position < this.#tokens.length) this.#fail('unexpected text after the expression');
    return value;
  }

  #or(): Value {
    let left = this.#and();
    while (this.#isOp('||')) {
      this.#position++;
      const right = this.#and();
      left = truthy(left) || truthy(right);
    }
    return left;
  }

  #and(): Value {
    let left = this.#comparison();
    while (this.#isOp('&&')) {
      this.#position++;
      const right = this.#comparison();
      left = truthy(left) && truthy(right);
    }
    return left;
  }

  #comparison(): Value {
    const left = this.#unary();
    if (this.#isOp('==') || this.#isOp('!=')) {
      const equal = this.#isOp('==');
      this.#position++;
      const right = this.#unary();
      return (String(left) === String(right)) === equal;
    }
    return left;
  }

  #unary(): Value {
    if (this.#isOp('!')) {
      this.#position++;
      return !truthy(this.#unary());
    }
    const token = this.#tokens[this.#position];
    if (!token) return this.#fail('the expression ends too early');
    this.#position++;
    if (token.type === 'literal') return token.value;
    if (token.type === 'ref') return this.#resolve(token.path);
    if (token.op === '(') {
      const value = this.#or();
      if (!this.#isOp(')')) this.#fail('missing ")"');
      this.#position++;
      return value;
    }
    return this.#fail(`unexpected "${token.op}"`);
  }

  #isOp(op: string): boolean {
    const token = this.#tokens[this.#position];
    return token?.type === 'op' && token.op === op;
  }

  #fail(why: string): never {
    throw new ExpressionError(`${why} in expression "${this.#source.trim()}"`);
  }
}

/** An empty string, "false" and false are false; everything else is true. */
export function truthy(value: Value): boolean {
  if (typeof value === 'boolean') return value;
  return value !== '' && value !== 'false';
}

function resolver(context: ExpressionContext, source: string): (path: string[]) => Value {
  return (path) => {
    checkReference(path, source);
    const [root, second = '', third, fourth = ''] = path;
    if (root === 'workflow') return context.workflowId;
    if (root === 'item') {
      if (!context.item)
        throw new ExpressionError(`item.${second} is only set in a for_each step (in "${source.trim()}")`);
      return context.item[second] ?? '';
    }
    if (root === 'inputs') {
      const value = context.inputs[second];
      if (value === undefined) throw new ExpressionError(`no input "${second}" (in "${source.trim()}")`);
      return value;
    }
    const step = context.steps[second];
    if (!step) throw new ExpressionError(`step "${second}" has not run before this one (in "${source.trim()}")`);
    if (third === 'outcome') return step.outcome;
    return step.outputs[fourth] ?? '';
  };
}

/** Evaluate one expression (an `if:`, with or without `${{ }}` around it). */
export function evaluate(source: string, context: ExpressionContext): Value {
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(source)?.[1] ?? source;
  return new Parser(tokenize(inner), inner, resolver(context, inner)).parse();
}

/** Replace every `${{ ... }}` in `text` with its value, or with what `place` makes of the value. */
export function substitute(text: string, context: ExpressionContext, place?: (value: string) => string): string {
  return text.replace(expressionPattern, (_, inner: string) => {
    const value = String(new Parser(tokenize(inner), inner, resolver(context, inner)).parse());
    return place ? place(value) : value;
  });
}

/**
 * A shell command with its expressions as environment variables: each `${{ ... }}` becomes
 * `${SLUICE_EXPR_<n>}`, its value in `env`. A value holding `$(rm -rf ~)`, backquotes or `"; curl ...`
 * is then data in every quoting context (a variable's value is never parsed as shell code), where
 * pasting it into the command text would run it.
 */
export function substituteCommand(
  text: string,
  context: ExpressionContext,
): { command: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let count = 0;
  const command = substitute(text, context, (value) => {
    const name = `SLUICE_EXPR_${++count}`;
    env[name] = value;
    return `\${${name}}`;
  });
  return { command, env };
}

/**
 * For commands Sluice cannot hand variables to (acceptance commands, an agent command): an expression
 * may only expand to a plain word there; anything a shell would read as code is refused.
 */
export function plainWord(value: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]*$/.test(value)) return value;
  throw new ExpressionError(
    `${JSON.stringify(value.slice(0, 60))} is not a plain word; in an acceptance or agent command an expression may only expand to letters, digits and _./:@%+=,-`,
  );
}

/** The step ids an expression or a string of `${{ }}` names (to check they come before), syntax checked. */
export function referencedSteps(text: string, whole = false): string[] {
  return references(text, whole)
    .filter((path) => path[0] === 'steps' && path[1])
    .map((path) => path[1] as string);
}

/** Whether an expression or a string of `${{ }}` reads `item.<key>` (only a for_each step has an item). */
export function readsItem(text: string, whole = false): boolean {
  return references(text, whole).some((path) => path[0] === 'item');
}

function references(text: string, whole: boolean): string[][] {
  const sources = whole
    ? [/^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text]
    : [...text.matchAll(expressionPattern)].map((match) => match[1] ?? '');
  const paths: string[][] = [];
  for (const source of sources) {
    const tokens = tokenize(source);
    // Parse with a resolver that only records, so a syntax error is found when the file is loaded.
    new Parser(tokens, source, (path) => {
      checkReference(path, source);
      paths.push(path);
      return '';
    }).parse();
  }
  return paths;
}
