import type { SgNode } from '@ast-grep/napi';
import type { Assertion, TestMarker, TokenForm } from '../tests/test-case.ts';
import { joinTokenForms, type SkippedNodes, type TokenRules, tokenForm } from '../tests/token-form.ts';
import { skipCallMarker } from './markers.ts';
import { calleeName, lastCalleeName, lineOf } from './syntax.ts';

const tokenRules: TokenRules = {
  // Commas and semicolons come and go with formatters (black's magic trailing comma); so do `\` continuations.
  dropped: new Set(['comment', ',', ';', 'line_continuation']),
  literals: new Set(['string', 'integer', 'float', 'true', 'false', 'none']),
};
/** Context managers and calls of pytest that check something: `with pytest.raises(ValueError):`. */
const pytestChecks = new Set(['pytest.raises', 'pytest.warns', 'pytest.deprecated_call', 'pytest.fail', 'raises']);
/** `self.fail(...)`, `self.failUnlessEqual(...)`: unittest's failing calls and their old aliases. */
const failCall = /^(self|cls)\.fail/;

/** What a test body holds beside its code: assertions, and calls that skip the test while it runs. */
export interface BodyContents {
  assertions: Assertion[];
  markers: TestMarker[];
}

/**
 * The assertions and in-body skips (`pytest.skip()`, `self.skipTest()`, `raise SkipTest`) under `node`; the
 * assertions' token forms leave out the failure messages in `messages`.
 */
export function scanBody(node: SgNode, messages: SkippedNodes): BodyContents {
  const contents: BodyContents = { assertions: [], markers: [] };
  const walk = (current: SgNode) => {
    const kind = current.kind();
    if (kind === 'assert_statement') {
      contents.assertions.push(assertionOf(current, messages));
      return;
    }
    if (kind === 'call' || kind === 'raise_statement') {
      const marker = skipCallMarker(current);
      if (marker) contents.markers.push(marker);
    }
    if (kind === 'call' && isAssertionCall(current)) {
      contents.assertions.push(assertionOf(assertionStatement(current), messages));
      return;
    }
    for (const child of current.children()) walk(child);
  };
  walk(node);
  return contents;
}

/** `self.assertEqual(...)`, `mock.assert_called_once_with(...)`, `np.testing.assert_allclose(...)`, `pytest.raises(...)`. */
export function isAssertionCall(call: SgNode): boolean {
  const name = calleeName(call);
  if (name !== undefined && (pytestChecks.has(name) || failCall.test(name))) return true;
  return /^assert/.test(lastCalleeName(call) ?? '');
}

/** The statement a call asserts in: `assert_that(x).is_equal_to(3)` as a whole, or the call itself in a `with`. */
function assertionStatement(call: SgNode): SgNode {
  let current = call;
  for (let parent = current.parent(); parent; parent = current.parent()) {
    const kind = parent.kind();
    const continues =
      (kind === 'attribute' && parent.field('object')?.id() === current.id()) ||
      (kind === 'call' && parent.field('function')?.id() === current.id()) ||
      kind === 'await' ||
      kind === 'expression_statement';
    if (!continues) break;
    current = parent;
  }
  return current;
}

function assertionOf(statement: SgNode, messages: SkippedNodes): Assertion {
  return { ...tokenForm(statement, tokenRules, messages), text: statement.text(), line: lineOf(statement) };
}

/**
 * The tokens of a test: the cases of its `@pytest.mark.parametrize` decorators, then its statements without
 * comments, docstring and failure `messages`, so that reformatting or rewording them leaves the key unchanged.
 */
export function bodyForm(block: SgNode | null, parametrize: SgNode[], messages: SkippedNodes): TokenForm {
  const statements = block ? block.children().filter((child) => child.kind() !== 'comment') : [];
  const [first, ...rest] = statements;
  const code = first && isDocstring(first) ? rest : statements;
  const forms = [...parametrize, ...code].flatMap((node) => nestedForms(node, messages));
  return joinTokenForms(forms.filter((form) => form.key !== ''));
}

/**
 * Token forms of a statement with `{` `}` around its blocks: indentation is syntax in Python, and an assert
 * moved out of an `if` or `with pytest.raises(...)` block must not read as the same code.
 */
function nestedForms(node: SgNode, messages: SkippedNodes): TokenForm[] {
  const inner = () => node.children().flatMap((child) => nestedForms(child, messages));
  if (node.kind() === 'block') return [blockEdge('{'), ...inner(), blockEdge('}')];
  if (!node.children().some(holdsBlock)) return [tokenForm(node, tokenRules, messages)];
  return inner();
}

function holdsBlock(node: SgNode): boolean {
  return node.kind() === 'block' || node.children().some(holdsBlock);
}

function blockEdge(token: string): TokenForm {
  return { key: token, skeleton: token, literals: [] };
}

function isDocstring(statement: SgNode): boolean {
  const named = statement.children().filter((child) => child.isNamed());
  const [only] = named;
  return (
    statement.kind() === 'expression_statement' &&
    named.length === 1 &&
    (only?.kind() === 'string' || only?.kind() === 'concatenated_string')
  );
}

/** Whether a decorator is `@pytest.mark.parametrize(...)`, whose cases are part of the test. */
export function isParametrize(decorator: SgNode): boolean {
  const expression = decorator.children().find((child) => child.isNamed());
  return expression !== undefined && /(^|\.)parametrize$/.test(calleeName(expression) ?? '');
}
