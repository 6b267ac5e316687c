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
  reader.read(root, source);
  for (const swallower of swallowersOf(found.language, root, found.syntax)) reader.found.push(swallower);
  for (const skipped of afterExpectedRaise(found.language, root, source)) reader.found.push(skipped);
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
/**
 * The native searches below match small nodes (a callee, a property, an object), never a call's own text: that
 * holds every call inside it, so matching it would be quadratic in the nesting.
 */
const promiseMethods = new Set(['then', 'catch', 'finally']);

/**
 * The names of callees that run a function later or once per item: timers, threads, exit handlers, a promise's
 * `then`, an array's `forEach`. What is called is checked after.
 */
const calleeNames = [
  ...promiseMethods,
  ...arrayCallbacks,
  ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick', 'on', 'once'],
  ...['Thread', 'Timer', 'register', 'call_soon', 'call_later', 'call_soon_threadsafe'],
];
/** Nodes that name a member: `a.b` in JS, Python's attribute. */
const memberKinds = new Set(['member_expression', 'attribute']);

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The name a function is defined under, and the node that defines it: its own (`def check`, `function check`), or
 * the declarator that holds it (`const verify = () => ...`). Undefined for a function written in place.
 */
function functionName(node: SgNode): { name: string; declaration: SgNode } | undefined {
  const kind = kindOf(node);
  if (kind === 'arrow_function' || kind === 'function_expression') {
    const declarator = node.parent();
    if (declarator?.kind() !== 'variable_declarator' || declarator.field('value')?.id() !== node.id()) return undefined;
    const name = declarator.field('name')?.text();
    return name ? { name, declaration: declarator } : undefined;
  }
  const name = node.field('name')?.text();
  return name ? { name, declaration: node } : undefined;
}

/** Functions written in place as an argument. */
const deferredFunctionKinds = new Set(['arrow_function', 'function_expression', 'function', 'lambda']);
/** A callback that ends an asynchronous test or settles what it awaits: the test waits for it. */
const signalsEnd = /\b(?:done|resolve|reject|next|cb|callback|end|finish)\s*\(/;

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
  read(root: SgNode, source: string): void {
    const { syntax } = this;
    const skip = syntax.skipCall?.source;
    const exits = [
      ...[...syntax.returns].map((kind) => ({ kind })),
      ...(skip ? syntax.skipStatements.map((kind) => ({ kind, regex: skip })) : []),
    ];
    // Two searches (each is a walk of the whole tree), by kind, and no relational rules (`has` costs more than a
    // walk). Regexes only on small nodes (a name): a call's own text holds every call inside it.
    const constructs = [
      ...exits,
      ...[...syntax.ifs, ...syntax.whileLoops, ...syntax.forLoops, ...syntax.functions].map((kind) => ({ kind })),
    ];
    const lists = new Map<number, SgNode>();
    for (const node of root.findAll({ rule: { any: constructs } })) {
      const kind = kindOf(node);
      if (syntax.returns.has(kind) || syntax.skipStatements.includes(kind)) {
        if (syntax.skipStatements.includes(kind) && !syntax.skipCall?.test(node.text())) continue;
        for (let list = node.parent(); list; list = list.parent()) {
          if (syntax.statementLists.has(kindOf(list))) lists.set(list.id(), list);
        }
      } else if (syntax.ifs.has(kind)) this.noteDeadBranch(node);
      else if (syntax.whileLoops.has(kind)) this.noteDeadLoop(node);
      else if (syntax.forLoops.has(kind)) this.noteEmptyLoop(node);
      else this.noteUncalledFunction(node);
    }
    // `setTimeout(...)`, `threading.Thread(...)`, `.then(...)`, `.forEach(...)`: found by the callee's name, then
    // the call around it.
    // Only the names the source calls (`then(`, `setTimeout(`): a native regex is compiled at every search, and
    // most files call none of them.
    const named = syntax.callNames ? calleeNames.filter((name) => source.includes(`${name}(`)) : [];
    if (syntax.callNames && named.length > 0) {
      const regex = `^(?:${named.join('|')})$`;
      for (const name of root.findAll({ rule: { any: syntax.callNames.map((kind) => ({ kind, regex })) } })) {
        const parent = name.parent();
        const member = parent && memberKinds.has(kindOf(parent)) ? parent : undefined;
        const callee = member && name.id() !== member.child(0)?.id() ? member : name;
        const call = callee.parent();
        if (!call || !syntax.callKinds.has(kindOf(call)) || call.field('function')?.id() !== callee.id()) continue;
        const method = name.text();
        if (promiseMethods.has(method) && member) {
          if (isUnawaitedChain(call)) this.noteDeferred(call);
        } else if (arrayCallbacks.has(method) && member) this.noteEmptyArrayCallback(call);
        else if (syntax.deferringCalls && new RegExp(syntax.deferringCalls.callee).test(callee.text())) {
          this.noteDeferred(call);
        }
      }
    }
    for (const list of lists.values()) this.noteExit(list);
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
    const named = functionName(node);
    if (!named || named.declaration.parent()?.kind() === 'decorated_definition') return;
    const scope = this.enclosingFunction(named.declaration);
    const body = node.field('body');
    if (!scope || !body) return;
    const outside = scope.text().replace(named.declaration.text(), ' ');
    if (new RegExp(`(?<![\\w$])${named.name.replace(/\$/g, '\\$')}(?![\\w$])`).test(outside)) return;
    this.cover('dead', headOf(named.declaration, body), named.declaration, body);
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
      if (functionName(definition)?.name === name) return [definition];
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
