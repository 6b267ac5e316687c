import type { SgNode } from '@ast-grep/napi';
import type { TestForms } from '../tests/lazy-forms.ts';
import type { Assertion, TokenForm } from '../tests/test-case.ts';
import {
  innerNodes,
  joinTokenForms,
  type SkippedNodes,
  type TokenRules,
  tokenForm,
  tokenForms,
} from '../tests/token-form.ts';
import { calleeName, lastCalleeName, lineOf } from './syntax.ts';

export const tokenRules: TokenRules = {
  // Commas and semicolons come and go with formatters (black's magic trailing comma); so do `\` continuations.
  dropped: new Set(['comment', ',', ';', 'line_continuation']),
  literals: new Set(['string', 'integer', 'float', 'true', 'false', 'none']),
};
/** Context managers and calls of pytest that check something: `with pytest.raises(ValueError):`. */
const pytestChecks = new Set(['pytest.raises', 'pytest.warns', 'pytest.deprecated_call', 'pytest.fail', 'raises']);
/** `self.fail(...)`, `self.failUnlessEqual(...)`: unittest's failing calls and their old aliases. */
const failCall = /^(self|cls)\.fail/;

/** `self.assertEqual(...)`, `mock.assert_called_once_with(...)`, `np.testing.assert_allclose(...)`, `pytest.raises(...)`. */
export function isAssertionCall(call: SgNode): boolean {
  const name = calleeName(call);
  if (name !== undefined && (pytestChecks.has(name) || failCall.test(name))) return true;
  return /^assert/.test(lastCalleeName(call) ?? '');
}

/**
 * The tokens of a test (the cases of its `@pytest.mark.parametrize` decorators, then its statements without
 * comments, docstring and failure `messages`, so that rewording them leaves the key unchanged) and of its
 * assertion `statements`, read in the same walk.
 */
export function testForms(
  block: SgNode | null,
  parametrize: SgNode[],
  statements: SgNode[],
  messages: SkippedNodes,
): TestForms {
  const code = block ? block.children().filter((child) => child.kind() !== 'comment') : [];
  const [first, ...rest] = code;
  const nodes = [...parametrize, ...(first && isDocstring(first) ? rest : code)];
  const found: Array<TokenForm | undefined> = [];
  const inner = innerNodes(statements);
  const read = (node: SgNode): TokenForm => {
    const walked = tokenForms(node, inner, tokenRules, messages);
    walked.inner.forEach((form, index) => {
      found[index] ??= form;
    });
    return walked.form;
  };
  const holders = blockHolders(block);
  const forms = nodes.flatMap((node) => nestedForms(node, holders, read));
  const assertions = statements.map(
    (statement, index): Assertion => ({
      ...(found[index] ?? tokenForm(statement, tokenRules, messages)),
      text: statement.text(),
      line: lineOf(statement),
    }),
  );
  return { body: joinTokenForms(forms.filter((form) => form.key !== '')), assertions };
}

/** Ids of the blocks under `block` and of every node between them and `block`: the nodes that hold a block. */
function blockHolders(block: SgNode | null): Set<number> {
  const holders = new Set<number>();
  if (!block) return holders;
  holders.add(block.id());
  for (const inner of block.findAll({ rule: { kind: 'block' } })) {
    for (let node: SgNode | null = inner; node && !holders.has(node.id()); node = node.parent()) {
      holders.add(node.id());
    }
  }
  return holders;
}

/**
 * Token forms of a statement with `{` `}` around its blocks: indentation is syntax in Python, and an assert
 * moved out of an `if` or `with pytest.raises(...)` block must not read as the same code.
 */
function nestedForms(node: SgNode, holders: ReadonlySet<number>, read: (node: SgNode) => TokenForm): TokenForm[] {
  const isBlock = node.kind() === 'block';
  const children = node.children();
  const inner = () => children.flatMap((child) => nestedForms(child, holders, read));
  if (isBlock) return [blockEdge('{'), ...inner(), blockEdge('}')];
  if (!children.some((child) => holders.has(child.id()))) return [read(node)];
  return inner();
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
