import type { SgNode } from '@ast-grep/napi';

/** What makes code unreachable or harmless in one language: the words its syntax tree uses for them. */
export interface StatementSyntax {
  /** Nodes whose children are statements run one after another. */
  statementLists: ReadonlySet<string>;
  /** Nodes that always leave the function they are in (`return`). */
  returns: ReadonlySet<string>;
  /** Statements that stop the test as skipped: `pytest.skip()`, `t.Skip()`, `this.skip()`. */
  skipCall: RegExp | undefined;
  /** The kinds of statement a skip call is written as. */
  skipStatements: string[];
  ifs: ReadonlySet<string>;
  /** Loops whose body runs once per item of an iterable (`for x of xs`, `for x in xs`, `for _, x := range xs`). */
  forLoops: ReadonlySet<string>;
  /** Local functions whose body runs only where something calls them (or passes them on). */
  functions: ReadonlySet<string>;
  /** What a local function can be nested in: a test's function, a callback, a closure. */
  functionScopes: ReadonlySet<string>;
  /** Calls that may be `[].forEach(callback)`: JavaScript's. */
  arrayMethodCalls: ReadonlySet<string>;
  /** The kinds of a call, and of the names a callee is written with; undefined where no callee is looked for. */
  callKinds: ReadonlySet<string>;
  callNames: string[] | undefined;
  /**
   * Calls that run a function outside the test, where its failure does not fail the test: a timer, a thread,
   * an exit handler. Matched on the callee's text (a call's own text holds every call inside it: matching that
   * is quadratic in the nesting); the function is the first function argument, or `target=`.
   */
  deferringCalls: { kind: string; callee: string } | undefined;
  /** Loops whose body runs only while the `condition` field holds. */
  whileLoops: ReadonlySet<string>;
  /** A handler (catch/except) that lets a failure through again or checks the error: then nothing is swallowed. */
  handlerChecks: RegExp;
}

const jsSyntax: StatementSyntax = {
  statementLists: new Set(['statement_block', 'program']),
  returns: new Set(['return_statement']),
  skipStatements: ['expression_statement'],
  skipCall: /^(this|ctx|context)\.skip\(/,
  ifs: new Set(['if_statement']),
  forLoops: new Set(['for_in_statement']),
  functions: new Set([
    'function_declaration',
    'generator_function_declaration',
    'arrow_function',
    'function_expression',
  ]),
  functionScopes: new Set([
    'arrow_function',
    'function_expression',
    'function_declaration',
    'generator_function_declaration',
    'method_definition',
  ]),
  arrayMethodCalls: new Set(['call_expression']),
  deferringCalls: {
    kind: 'call_expression',
    callee:
      '^(?:(?:globalThis\\.|window\\.)?(?:setTimeout|setInterval|setImmediate|queueMicrotask)|process\\.(?:nextTick|on|once))$',
  },
  callKinds: new Set(['call_expression']),
  callNames: ['identifier', 'property_identifier'],
  whileLoops: new Set(['while_statement']),
  handlerChecks: /\bthrow\b|\b(expect|assert\w*|should|fail)\b|\b(done|reject|next|callback|cb)\s*\(/,
};

const pythonSyntax: StatementSyntax = {
  statementLists: new Set(['block', 'module']),
  returns: new Set(['return_statement']),
  skipStatements: ['expression_statement', 'raise_statement'],
  skipCall: /^(pytest\.(skip|xfail)|self\.skipTest|cls\.skipTest)\(|^raise\s+([\w.]+\.)?SkipTest\b/,
  ifs: new Set(['if_statement']),
  forLoops: new Set(['for_statement']),
  functions: new Set(['function_definition']),
  functionScopes: new Set(['function_definition']),
  arrayMethodCalls: new Set([]),
  deferringCalls: {
    kind: 'call',
    callee: '^(?:(?:threading\\.)?(?:Thread|Timer)|atexit\\.register|[\\w.]+\\.call_(?:soon|later|soon_threadsafe))$',
  },
  callKinds: new Set(['call']),
  callNames: ['identifier'],
  whileLoops: new Set(['while_statement']),
  handlerChecks: /\braise\b|\bassert\w*\b|\bfail\(/,
};

const goSyntax: StatementSyntax = {
  statementLists: new Set(['statement_list']),
  returns: new Set(['return_statement']),
  skipStatements: ['expression_statement'],
  skipCall: /^\w+\.(Skip|Skipf|SkipNow)\(/,
  ifs: new Set(['if_statement']),
  forLoops: new Set(['for_statement']),
  functions: new Set([]),
  functionScopes: new Set([]),
  arrayMethodCalls: new Set([]),
  deferringCalls: undefined,
  callKinds: new Set([]),
  callNames: undefined,
  whileLoops: new Set(),
  handlerChecks: /$^/,
};

const rustSyntax: StatementSyntax = {
  statementLists: new Set(['block']),
  returns: new Set(['return_expression']),
  skipStatements: [],
  skipCall: undefined,
  ifs: new Set(['if_expression']),
  forLoops: new Set(['for_expression']),
  functions: new Set(['function_item']),
  functionScopes: new Set(['function_item', 'closure_expression']),
  arrayMethodCalls: new Set([]),
  deferringCalls: undefined,
  callKinds: new Set([]),
  callNames: undefined,
  whileLoops: new Set(['while_expression']),
  handlerChecks: /$^/,
};

/** The syntax of the language `path` is written in, by its extension; undefined for other files. */
export function syntaxOf(
  path: string,
): { syntax: StatementSyntax; language: 'js' | 'python' | 'go' | 'rust' } | undefined {
  if (/\.[cm]?[jt]sx?$/.test(path)) return { syntax: jsSyntax, language: 'js' };
  if (path.endsWith('.py')) return { syntax: pythonSyntax, language: 'python' };
  if (path.endsWith('.go')) return { syntax: goSyntax, language: 'go' };
  if (path.endsWith('.rs')) return { syntax: rustSyntax, language: 'rust' };
  return undefined;
}

/** A statement without its wrapper: `expression_statement` around a call or a Rust `return`. */
export function unwrapStatement(node: SgNode): SgNode {
  if (node.kind() !== 'expression_statement') return node;
  const named = node.children().filter((child) => child.isNamed());
  return named.length === 1 && named[0] ? named[0] : node;
}
