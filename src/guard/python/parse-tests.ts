import type { SgNode } from '@ast-grep/napi';
import { hasParseErrors, sourceKey, withLazyForms } from '../tests/lazy-forms.ts';
import { parseSource } from '../tests/shared-parse.ts';
import type { MarkerKind, TestCase, TestMarker } from '../tests/test-case.ts';
import type { SkippedNodes } from '../tests/token-form.ts';
import { topLevelTest } from '../tests/top-level.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { scanBody } from './body-scan.ts';
import { decoratorMarkers, markAliasesOf, suiteStatementMarkers, testAttributeMarker } from './markers.ts';
import { messageArgumentIds } from './message-arguments.ts';
import { runnerOverrideMarkers, type SuiteLevel, testFormMarkers } from './runner-overrides.ts';
import { calleeName, lineOf } from './syntax.ts';
import { isParametrize, testForms } from './test-body.ts';

/** Fixtures that run before every test of their module or class: a skip in them skips all of those tests. */
const setupNames = new Set(['setUp', 'setUpClass', 'setup_method', 'setup_class', 'setUpModule', 'setup_module']);
/**
 * Statements whose blocks may define tests (`if sys.version_info >= (3, 12):`, `try:`), and the ERROR nodes
 * tree-sitter leaves in broken code, whose definitions are still worth reading.
 */
const nestingKinds = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'finally_clause',
  'with_statement',
  'block',
  'ERROR',
]);

/** A module or a test class: the titles and markers its tests inherit. */
interface Suite {
  titles: string[];
  markers: TestMarker[];
  level: SuiteLevel;
}

/** A function or class definition with the decorators written above it. */
interface Definition {
  node: SgNode;
  name: string;
  decorators: SgNode[];
  /** The statement it is: the definition, or the decorated definition around it. */
  statement: SgNode;
}

interface FileScan {
  path: string;
  root: SgNode;
  tests: TestCase[];
  /** Failure messages of the file's assertions, left out of every token form: found when the first is read. */
  messages?: SkippedNodes;
  /** Classes of this file that subclass `unittest.TestCase`, so that their own subclasses are test classes too. */
  unittestClasses: Set<string>;
  /** Module-level names bound to skip/xfail decorators (`slow = pytest.mark.skip(...)`). */
  markAliases: ReadonlyMap<string, MarkerKind>;
  /** Whether the file has the word `yield` at all: else no test of it is a generator, and none is searched. */
  mayYield: boolean;
  /** Module-level functions, no tests, that skip the test calling them (`def later(): pytest.skip("x")`). */
  skipHelpers: ReadonlyMap<string, MarkerKind>;
}

/** The test cases of one Python file (pytest functions and classes, unittest.TestCase methods), parsed with tree-sitter. */
export function parseTests(path: string, source: string): TestCase[] {
  ensureTreeSitterLanguages();
  const root = parseSource(DynamicLanguages.python, source).root();
  const moduleStatements = statementsOf(root);
  const markAliases = markAliasesOf(moduleStatements);
  const skipHelpers = skipHelpersOf(moduleStatements);
  const mayYield = source.includes('yield');
  const scan: FileScan = { path, root, tests: [], unittestClasses: new Set(), markAliases, skipHelpers, mayYield };
  visitSuite(root, { titles: [], markers: [], level: 'module' }, scan);
  const outside = topLevelAssertions(root, scan);
  return outside ? [...scan.tests, outside] : scan.tests;
}

/**
 * The assertions of a test module outside its tests: plain `assert` statements run on import, and those of
 * helpers and fixtures (see `topLevelTest`).
 */
function topLevelAssertions(root: SgNode, scan: FileScan): TestCase | undefined {
  const outside = statementsOf(root).filter((statement) => {
    const [definition] = definitionOf(statement);
    if (!definition) return true;
    if (definition.node.kind() === 'class_definition')
      return !scan.unittestClasses.has(definition.name) && !definition.name.startsWith('Test');
    return !definition.name.startsWith('test');
  });
  const contents = outside.map(scanBody);
  const statements = contents.flatMap((content) => content.assertions);
  const parseErrors = contents.some((content) => content.parseErrors);
  const code = sourceKey('python', statements.map((statement) => statement.text()).join('\n'), parseErrors);
  return topLevelTest(
    scan.path,
    code,
    () => {
      scan.messages ??= messageArgumentIds(scan.root);
      return testForms(null, [], statements, scan.messages).assertions;
    },
    statements.length,
  );
}

/** Collect the tests of a module or class body; nested test classes become suites of their own. */
function visitSuite(container: SgNode, suite: Suite, scan: FileScan): void {
  const statements = statementsOf(container);
  const shadowed = shadowedStatements(container);
  const definitions = statements.flatMap(definitionOf).filter((definition) => !shadowed.has(definition.statement.id()));
  const testMarkers = new Map<string, TestMarker[]>();
  for (const statement of statements) {
    const attribute = testAttributeMarker(statement);
    if (attribute?.test !== undefined) {
      testMarkers.set(attribute.test, [...(testMarkers.get(attribute.test) ?? []), attribute.marker]);
    }
  }
  // Suite-wide markers apply to every test of the suite, also to those defined above them.
  const markers = [
    ...suite.markers,
    ...statements.flatMap(suiteStatementMarkers),
    ...definitions
      .filter((definition) => definition.node.kind() === 'function_definition' && setupNames.has(definition.name))
      .flatMap((definition) => scanBody(definition.node).markers),
    ...definitions.flatMap((definition) => runnerOverrideMarkers(definition, suite.level)),
  ];
  for (const definition of definitions) {
    const { node, name, decorators } = definition;
    const titles = [...suite.titles, name];
    if (node.kind() === 'class_definition') {
      const body = node.field('body');
      if (body && isTestClass(definition, scan)) {
        const asyncBase = /Async\w*TestCase\b/.test(node.field('superclasses')?.text() ?? '');
        const unittestLevel = asyncBase ? 'async-unittest-class' : 'unittest-class';
        const level = scan.unittestClasses.has(name) ? unittestLevel : 'class';
        const own = decorators.flatMap((decorator) => decoratorMarkers(decorator, scan.markAliases));
        visitSuite(body, { titles, markers: [...markers, ...own], level }, scan);
      }
    } else if (name.startsWith('test')) {
      const form = testFormMarkers(node, decorators, suite.level, scan);
      scan.tests.push(testCaseOf(definition, titles, [...markers, ...(testMarkers.get(name) ?? []), ...form], scan));
    }
  }
}

function testCaseOf(
  { node, decorators }: Definition,
  titles: string[],
  markers: TestMarker[],
  scan: FileScan,
): TestCase {
  const block = node.field('body');
  const contents = block ? scanBody(block) : { assertions: [], markers: [], parseErrors: true };
  const parametrize = decorators.filter(isParametrize);
  // Syntax errors are looked for only where the forms come from: the body and the parametrize decorators.
  const parseErrors = contents.parseErrors || parametrize.some((decorator) => hasParseErrors(decorator));
  const code = [...decorators, node].map((part) => part.text()).join('\n');
  const fields = {
    path: scan.path,
    titles,
    line: lineOf(node),
    source: sourceKey('python', code, parseErrors),
    markers: [
      ...markers,
      ...decorators.flatMap((decorator) => decoratorMarkers(decorator, scan.markAliases)),
      ...contents.markers,
      ...(block ? helperSkips(block, scan.skipHelpers) : []),
    ],
  };
  return withLazyForms(fields, () => {
    scan.messages ??= messageArgumentIds(scan.root);
    return testForms(block, parametrize, contents.assertions, scan.messages);
  });
}

/** Module-level functions that are no tests and whose body skips or xfails the test running them. */
function skipHelpersOf(statements: readonly SgNode[]): Map<string, MarkerKind> {
  const helpers = new Map<string, MarkerKind>();
  for (const { node, name } of statements.flatMap(definitionOf)) {
    if (node.kind() !== 'function_definition' || name.startsWith('test') || setupNames.has(name)) continue;
    const body = node.field('body');
    const [marker] = body ? scanBody(body).markers : [];
    if (marker) helpers.set(name, marker.kind);
  }
  return helpers;
}

/** Calls in a test body to a helper that skips it: `later()` after `def later(): pytest.skip("x")`. */
function helperSkips(body: SgNode, helpers: ReadonlyMap<string, MarkerKind>): TestMarker[] {
  if (helpers.size === 0) return [];
  const names = [...helpers.keys()].join('|');
  const rule = { kind: 'call', has: { field: 'function', kind: 'identifier', regex: `^(?:${names})$` } };
  return body.findAll({ rule }).flatMap((call): TestMarker[] => {
    const kind = helpers.get(call.field('function')?.text() ?? '');
    return kind ? [{ kind, text: `${call.text()} (which skips the test)`, line: lineOf(call) }] : [];
  });
}

/** pytest collects classes named `Test*`; unittest, any subclass of `TestCase` (also through a base class of this file). */
function isTestClass({ node, name }: Definition, scan: FileScan): boolean {
  const bases = (node.field('superclasses')?.children() ?? []).flatMap((base) => calleeName(base) ?? []);
  if (bases.some((base) => base.endsWith('TestCase') || scan.unittestClasses.has(base))) {
    scan.unittestClasses.add(name);
    return true;
  }
  return name.startsWith('Test');
}

/** The statements of a module or class body, looking into `if`/`try`/`with` blocks. */
function statementsOf(container: SgNode): SgNode[] {
  return container
    .children()
    .flatMap((child) => (nestingKinds.has(String(child.kind())) ? statementsOf(child) : [child]));
}

/**
 * Statements of a module or class body whose name a later statement of the same body binds again (a second
 * `def test_total`, `test_total = None`, `del test_total`): Python keeps only the last, so pytest never sees
 * them. Only bindings directly in the body count; one inside an `if` may not run.
 */
function shadowedStatements(container: SgNode): Set<number> {
  const direct = container.children();
  const lastBinding = new Map<string, number>();
  direct.forEach((statement, index) => {
    for (const name of boundNames(statement)) lastBinding.set(name, index);
  });
  const shadowed = new Set<number>();
  direct.forEach((statement, index) => {
    const [definition] = definitionOf(statement);
    if (definition && (lastBinding.get(definition.name) ?? index) > index) shadowed.add(statement.id());
  });
  return shadowed;
}

/** The names a statement binds in its scope: a definition's, an assignment's targets, a `del`'s. */
function boundNames(statement: SgNode): string[] {
  const [definition] = definitionOf(statement);
  if (definition) return [definition.name];
  const identifiers = (node: SgNode | null | undefined): string[] => {
    if (!node) return [];
    if (node.kind() === 'identifier') return [node.text()];
    const kind = String(node.kind());
    return ['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list'].includes(kind)
      ? node.children().flatMap(identifiers)
      : [];
  };
  if (statement.kind() === 'delete_statement') return statement.children().flatMap(identifiers);
  if (statement.kind() !== 'expression_statement') return [];
  const expression = statement.children().find((child) => child.isNamed());
  return expression?.kind() === 'assignment' ? identifiers(expression.field('left')) : [];
}

function definitionOf(statement: SgNode): Definition[] {
  const kind = statement.kind();
  const node = kind === 'decorated_definition' ? statement.field('definition') : statement;
  if (!node || (node.kind() !== 'function_definition' && node.kind() !== 'class_definition')) return [];
  const decorators =
    kind === 'decorated_definition' ? statement.children().filter((c) => c.kind() === 'decorator') : [];
  return [{ node, name: node.field('name')?.text() ?? '', decorators, statement }];
}
