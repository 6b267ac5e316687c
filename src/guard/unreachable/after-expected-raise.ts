import type { SgNode } from '@ast-grep/napi';
import { endLineOf, headOf, kindOf, lineOf, type Neutralizer } from './neutralizer.ts';

/** Blocks that pass only if something in them raises: `with pytest.raises(...)`, `self.assertRaises(...)`. */
const pythonRaises = /\b(?:pytest\s*\.\s*)?raises\s*\(|\.\s*assertRaises(?:Regex)?\s*\(/;
/** JS calls whose function argument must throw: `expect(fn).toThrow(...)`, `assert.throws(fn)`, `t.throws(fn)`. */
const jsThrows = /^(?:expect\s*\([\s\S]*\)\s*\.\s*(?:not\s*\.\s*)?toThrow\w*\s*\(|(?:assert|t)\s*\.\s*throws\s*\()/;
/** An expected error that an assertion itself raises: then the assertion may be what is expected to fail. */
const expectsAssertionError = /\bAssertionError\b/;

const pythonAssertion = /^(?:assert\b|self\s*\.\s*assert\w*\s*\(|assert_\w+\s*\()/;
const jsAssertion = /^(?:expect\s*\(|assert\b|t\s*\.\s*\w+\s*\()/;

/**
 * Assertions written after the code that is expected to raise, at the end of a block that passes only if
 * something in it raises: once it raises, they never run; if they run, nothing raised and they check nothing
 * the test needs. `with pytest.raises(ValueError): parse("x"); assert total == 6` never checks the total.
 */
export function afterExpectedRaise(language: string, root: SgNode, source: string): Neutralizer[] {
  // A native regex is compiled at every search: a file that names no expected raise is not searched.
  if (language === 'python' && /raises|assertRaises/.test(source)) {
    // Found by the small node (the with clause, the callee's method), then the statement or call around it: a
    // block's or a call's own text holds every call inside it, and matching that for each is quadratic.
    const clauses = root.findAll({ rule: { kind: 'with_clause', regex: 'raises|assertRaises' } });
    return clauses.flatMap((clause) => {
      const node = clause.parent();
      if (node?.kind() !== 'with_statement') return [];
      const head =
        node
          .children()
          .find((child) => child.kind() === 'with_clause')
          ?.text() ?? '';
      if (!pythonRaises.test(head) || expectsAssertionError.test(head)) return [];
      const body = node.field('body');
      return body ? trailingAssertions(node, body, pythonAssertion, headOf(node, body)) : [];
    });
  }
  if (language === 'js' && /toThrow|throws/.test(source)) {
    const methods = root.findAll({ rule: { kind: 'property_identifier', regex: '^(?:toThrow[A-Za-z]*|throws)$' } });
    return methods.flatMap((property) => {
      const member = property.parent();
      const call = member?.parent();
      if (member?.kind() !== 'member_expression' || call?.kind() !== 'call_expression') return [];
      if (call.field('function')?.id() !== member.id()) return [];
      const text = call.text();
      if (!jsThrows.test(text) || expectsAssertionError.test(text)) return [];
      const subject = call.text().startsWith('expect') ? expectSubject(call) : firstArgument(call);
      const body = subject && /^(?:arrow_function|function_expression)$/.test(kindOf(subject)) && subject.field('body');
      const verb = /^(\w+)/.exec(text)?.[1] === 'expect' ? 'expect(...).toThrow(...)' : `${text.split('(')[0]}(...)`;
      const construct = `the function given to ${verb}`;
      return body && body.kind() === 'statement_block' ? trailingAssertions(call, body, jsAssertion, construct) : [];
    });
  }
  return [];
}

function firstArgument(call: SgNode): SgNode | undefined {
  return call
    .field('arguments')
    ?.children()
    .find((child) => child.isNamed() && child.kind() !== 'comment');
}

/** The function given to `expect(...)` at the start of a `expect(fn).toThrow()` chain. */
function expectSubject(call: SgNode): SgNode | undefined {
  let current = call.field('function');
  while (current) {
    const kind = kindOf(current);
    if (kind === 'member_expression') current = current.field('object');
    else if (kind === 'call_expression') {
      const callee = current.field('function');
      if (callee?.text() === 'expect') return firstArgument(current);
      current = callee;
    } else return undefined;
  }
  return undefined;
}

/** The assertions after the last statement of `body` that is not one: the statements the raise skips. */
function trailingAssertions(at: SgNode, body: SgNode, assertion: RegExp, construct: string): Neutralizer[] {
  const statements = body.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  const lastOther = statements.findLastIndex((statement) => !assertion.test(statement.text().trim()));
  const trailing = statements.slice(lastOther + 1);
  const first = trailing[0];
  const last = trailing.at(-1);
  if (lastOther === -1 || !first || !last) return [];
  return [
    {
      kind: 'raised',
      construct,
      line: lineOf(at),
      from: lineOf(first),
      to: endLineOf(last),
    },
  ];
}
