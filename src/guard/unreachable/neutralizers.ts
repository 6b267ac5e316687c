import type { SgNode } from '@ast-grep/napi';
import { languageOf } from '../js/test-files.ts';
import { parseSource } from '../tests/shared-parse.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { afterExpectedRaise } from './after-expected-raise.ts';
import { constantNames, constantTruth } from './constant-condition.ts';
import { endLineOf, headOf, kindOf, lineOf, type Neutralizer, type NeutralizerKind } from './neutralizer.ts';
import { type StatementSyntax, syntaxOf, unwrapStatement } from './statement-syntax.ts';
import { swallowersOf } from './swallowers.ts';

/** Every construct in a file that makes the code after or inside it unreachable or unable to fail. */
export function neutralizersOf(path: string, source: string): Neutralizer[] {
  const found = syntaxOf(path);
  if (!found) return [];
  if (found.language !== 'js') ensureTreeSitterLanguages();
  const root = parseSource(
    found.language === 'js' ? languageOf(path) : DynamicLanguages[found.language],
    source,
  ).root();
  const reader = new NeutralizerReader(found.syntax, constantNames(source));
  reader.read(root);
  for (const swallower of swallowersOf(found.language, root, found.syntax)) reader.found.push(swallower);
  for (const skipped of afterExpectedRaise(found.language, root)) reader.found.push(skipped);
  return reader.found;
}

/** An iterable written empty: `[]`, `()`, `{}`, `""`, `range(0)`, `set()`, `new Map()`, `[]int{}`, `vec![]`, `0..0`. */
const emptyIterable =
  /^(?:\[\]|\(\)|\{\}|""|''|``|range\((?:0|0,0)?\)|(?:set|list|tuple|dict|frozenset|iter)\(\)|(?:new)?(?:Array|Set|Map)\((?:0)?\)|(?:map\[[^\]]*\])?\[\][\w.*]*\{\}|map\[[^\]]*\][\w.*]*\{\}|vec!\[\]|Vec::new\(\)|(-?\d+)\.\.\1)$/;

function isEmptyIterable(text: string): boolean {
  return emptyIterable.test(text.replace(/\s+/g, ''));
}

/** Function values whose body runs only when called. */
const localFunctionKinds = new Set([
  'function_declaration',
  'generator_function_declaration',
  'arrow_function',
  'function_expression',
  'function_definition',
  'function_item',
]);
/** Array methods that call their callback once per item. */
const arrayCallbacks = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap']);
/** `[].forEach(`, `new Set().map(`: the start of a call on an empty array, for the native search. */
const emptyArrayCall = `^(?:\\[\\s*\\]|new\\s+(?:Array|Set|Map)\\(\\s*\\))\\s*\\.\\s*(?:${[...arrayCallbacks].join('|')})\\s*\\(`;
/** A declarator's value that is a function: `() =>`, `x =>`, `async (a) =>`, `function`. */
const functionValue = '^(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]*)?=>|[\\w$]+\\s*=>)';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Functions written in place as an argument. */
const deferredFunctionKinds = new Set(['arrow_function', 'function_expression', 'function', 'lambda']);
/** A callback that ends an asynchronous test or settles what it awaits: the test waits for it. */
const signalsEnd = /\b(?:done|resolve|reject|next|cb|callback|end|finish)\s*\(/;
/** `x.then(`, `.catch(`, `.finally(`: a promise callback, for the native search. */
const promiseCallbackCall = '\\.\\s*(?:then|catch|finally)\\s*\\(';

/**
 * Whether `call` is a `.then`/`.catch`/`.finally` of a chain that stands alone as a statement: not awaited, not
 * returned, not kept. The test is over before its callbacks run.
 */
function isUnawaitedChain(call: SgNode): boolean {
  const property = call.field('function')?.field('property')?.text();
  if (!property || !['then', 'catch', 'finally'].includes(property)) return false;
  let top = call;
  for (let parent = top.parent(); parent; parent = top.parent()) {
    const kind = kindOf(parent);
    const voided = kind === 'unary_expression' && parent.text().startsWith('void');
    if (kind !== 'call_expression' && kind !== 'member_expression' && !voided) break;
    top = parent;
  }
  return top.parent()?.kind() === 'expression_statement';
}

function findKinds(root: SgNode, kinds: ReadonlySet<string>): SgNode[] {
  return kinds.size === 0 ? [] : root.findAll({ rule: { any: [...kinds].map((kind) => ({ kind })) } });
}

class NeutralizerReader {
  readonly found: Neutralizer[] = [];
  private readonly syntax: StatementSyntax;
  private readonly names: ReadonlyMap<string, boolean>;

  constructor(syntax: StatementSyntax, names: ReadonlyMap<string, boolean>) {
    this.syntax = syntax;
    this.names = names;
  }

  /**
   * Every exit, dead branch and dead loop under `root`. The tree is searched natively by kind (a walk in JS
   * costs seconds on a large file): only the statement lists around a `return` or skip call are read.
   */
  read(root: SgNode): void {
    const exits = [...this.syntax.returns].map((kind) => ({ kind }));
    const skip = this.syntax.skipCall?.source;
    if (skip) exits.push(...this.syntax.skipStatements.map((kind) => ({ kind, regex: skip })));
    const lists = new Map<number, SgNode>();
    for (const exit of root.findAll({ rule: { any: exits } })) {
      for (let node = exit.parent(); node; node = node.parent()) {
        if (this.syntax.statementLists.has(kindOf(node))) lists.set(node.id(), node);
      }
    }
    for (const list of lists.values()) this.noteExit(list);
    for (const node of findKinds(root, this.syntax.ifs)) this.noteDeadBranch(node);
    for (const node of findKinds(root, this.syntax.whileLoops)) this.noteDeadLoop(node);
    for (const node of findKinds(root, this.syntax.forLoops)) this.noteEmptyLoop(node);
    // Declarators only where they hold a function, calls only on an empty array: both are common, so the
    // native search narrows them first.
    const functions = [...this.syntax.functions].map((kind) =>
      kind === 'variable_declarator' ? { kind, has: { field: 'value', regex: functionValue } } : { kind },
    );
    if (functions.length > 0) {
      for (const node of root.findAll({ rule: { any: functions } })) this.noteUncalledFunction(node);
    }
    if (this.syntax.deferringCalls) {
      for (const call of root.findAll({ rule: this.syntax.deferringCalls })) this.noteDeferred(call);
    }
    for (const kind of this.syntax.arrayMethodCalls) {
      for (const call of root.findAll({ rule: { kind, regex: promiseCallbackCall } })) {
        if (isUnawaitedChain(call)) this.noteDeferred(call);
      }
    }
    for (const kind of this.syntax.arrayMethodCalls) {
      for (const node of root.findAll({ rule: { kind, regex: emptyArrayCall } })) this.noteEmptyArrayCallback(node);
    }
  }

  /** `for (const x of [])`, `for _ in range(0):`, `for x in vec![]`: a loop over nothing never runs its body. */
  private noteEmptyLoop(node: SgNode): void {
    const iterable =
      node.field('right') ??
      node.field('value') ??
      node
        .children()
        .find((child) => child.kind() === 'range_clause')
        ?.field('right');
    const body = node.field('body');
    if (!iterable || !body || !isEmptyIterable(iterable.text())) return;
    this.cover('dead', headOf(node, body), node, body);
  }

  /** Records that `construct`, written at `at`, neutralizes the lines of `body`. */
  private cover(kind: NeutralizerKind, construct: string, at: SgNode, body: SgNode): void {
    this.found.push({ kind, construct, line: lineOf(at), from: lineOf(body), to: endLineOf(body) });
  }

  /** The function (or callback, or closure) `node` is written in. */
  private enclosingFunction(node: SgNode): SgNode | undefined {
    let scope = node.parent();
    while (scope && !this.syntax.functionScopes.has(kindOf(scope))) scope = scope.parent();
    return scope ?? undefined;
  }

  /**
   * A function defined inside a test (or a callback) that nothing in its scope names again: its body never
   * runs. `def check(): assert ...` left uncalled; `const verify = () => expect(...)` never used. Decorated
   * Python functions are left alone (a decorator may run them).
   */
  private noteUncalledFunction(node: SgNode): void {
    const name = node.field('name')?.text();
    const value = node.kind() === 'variable_declarator' ? node.field('value') : node;
    if (!name || !value || !localFunctionKinds.has(kindOf(value)) || node.parent()?.kind() === 'decorated_definition') {
      return;
    }
    const scope = this.enclosingFunction(node);
    const body = value.field('body');
    if (!scope || !body) return;
    const outside = scope.text().replace(node.text(), ' ');
    if (new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(outside)) return;
    this.cover('dead', headOf(node, body), node, body);
  }

  /**
   * The functions `call` hands on to run outside the test (`setTimeout(() => ...)`, `threading.Thread(target=check)`,
   * an unawaited `.then(...)`): written in place, or named and defined in the same function. A callback that
   * tells the test it is over (`done()`, `resolve()`) is waited for, so it is left alone.
   */
  private noteDeferred(call: SgNode): void {
    const args =
      call
        .field('arguments')
        ?.children()
        .filter((child) => child.isNamed()) ?? [];
    const functions = args.flatMap((arg) => {
      const value = arg.kind() === 'keyword_argument' ? arg.field('value') : arg;
      if (!value) return [];
      if (deferredFunctionKinds.has(kindOf(value))) return [value];
      return value.kind() === 'identifier' ? this.localFunction(call, value.text()) : [];
    });
    for (const fn of functions) {
      const body = fn.field('body') ?? fn;
      if (signalsEnd.test(body.text())) continue;
      const construct = `${oneLine(call.field('function')?.text() ?? '').slice(0, 60)}(...)`;
      this.cover('deferred', construct, call, body);
    }
  }

  /** The function named `name` defined in the function around `from` (a nested `def`, `function` or arrow). */
  private localFunction(from: SgNode, name: string): SgNode[] {
    const scope = this.enclosingFunction(from);
    if (!scope) return [];
    for (const definition of scope.findAll({ rule: { any: [...this.syntax.functions].map((kind) => ({ kind })) } })) {
      if (definition.field('name')?.text() !== name) continue;
      const value = definition.kind() === 'variable_declarator' ? definition.field('value') : definition;
      if (value && localFunctionKinds.has(kindOf(value))) return [value];
    }
    return [];
  }

  /** `[].forEach((x) => expect(x).toBe(1))`: a callback over an empty array never runs. */
  private noteEmptyArrayCallback(call: SgNode): void {
    const callee = call.field('function');
    if (callee?.kind() !== 'member_expression') return;
    const method = callee.field('property')?.text();
    const object = callee.field('object');
    if (!method || !object || !arrayCallbacks.has(method) || !isEmptyIterable(object.text())) return;
    const callback = call
      .field('arguments')
      ?.children()
      .find((child) => child.isNamed());
    if (!callback || !localFunctionKinds.has(kindOf(callback))) return;
    this.cover('dead', `${oneLine(callee.text())}(...)`, call, callback);
  }

  /** Statements after one that always leaves (`return`, `t.Skip()`, `if (true) return`) never run. */
  private noteExit(list: SgNode): void {
    const statements = list.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
    for (const [index, statement] of statements.entries()) {
      const exit = this.exitOf(statement);
      const rest = statements.slice(index + 1);
      const first = rest[0];
      const last = rest.at(-1);
      if (!exit || !first || !last) continue;
      this.found.push({ ...exit, line: lineOf(statement), from: lineOf(first), to: endLineOf(last) });
      return;
    }
  }

  private exitOf(statement: SgNode): { kind: NeutralizerKind; construct: string } | undefined {
    const inner = unwrapStatement(statement);
    const text = inner.text().trim();
    if (this.syntax.returns.has(kindOf(inner))) return { kind: 'exit', construct: text.split('\n')[0] ?? text };
    if (this.syntax.skipCall?.test(text)) return { kind: 'skip', construct: text.split('\n')[0] ?? text };
    if (this.syntax.ifs.has(kindOf(inner))) {
      const condition = inner.field('condition');
      if (!condition || constantTruth(condition, this.names) !== true) return undefined;
      const exit = this.firstExit(inner.field('consequence'));
      return (
        exit && { ...exit, construct: `${headOf(inner, inner.field('consequence') ?? undefined)} ${exit.construct}` }
      );
    }
    return this.statementsOf(inner) ? this.firstExit(inner) : undefined;
  }

  private firstExit(body: SgNode | null): { kind: NeutralizerKind; construct: string } | undefined {
    if (!body) return undefined;
    const statements = this.statementsOf(body) ?? [body];
    for (const statement of statements) {
      const exit = this.exitOf(statement);
      if (exit) return exit;
    }
    return undefined;
  }

  /** The statements of a block: its own children, or those of the one statement list it holds (Go). */
  private statementsOf(node: SgNode): SgNode[] | undefined {
    const named = node.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
    if (this.syntax.statementLists.has(kindOf(node))) return named;
    const [only] = named;
    if (named.length === 1 && only && this.syntax.statementLists.has(kindOf(only))) {
      return only.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
    }
    return undefined;
  }

  private noteDeadBranch(node: SgNode): void {
    const condition = node.field('condition');
    const truth = condition ? constantTruth(condition, this.names) : undefined;
    if (truth === undefined) return;
    const consequence = node.field('consequence');
    const head = headOf(node, consequence ?? undefined);
    const dead =
      truth === false
        ? [consequence]
        : node.children().filter((child) => child.kind() === 'else_clause' || child.kind() === 'elif_clause');
    for (const branch of dead) {
      if (!branch) continue;
      const construct = truth === false ? head : `the else of ${head}`;
      this.found.push({ kind: 'dead', construct, line: lineOf(node), from: lineOf(branch), to: endLineOf(branch) });
    }
  }

  private noteDeadLoop(node: SgNode): void {
    const condition = node.field('condition');
    const body = node.field('body');
    if (!condition || !body || constantTruth(condition, this.names) !== false) return;
    this.cover('dead', headOf(node, body), node, body);
  }
}
