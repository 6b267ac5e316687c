import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import { type TokenRules, tokenForm, tokenForms } from '../../../src/guard/tests/token-form.ts';

const rules: TokenRules = {
  dropped: new Set(['comment', ';', ',']),
  literals: new Set(['string', 'string_fragment', 'number', 'true', 'false', 'null', 'regex']),
};
const rootOf = (source: string) => parse(Lang.JavaScript, source).root();
const first = (root: SgNode, kind: string): SgNode => {
  const node = root.find({ rule: { kind } });
  if (!node) throw new Error(`no ${kind}`);
  return node;
};

describe('tokenForm', () => {
  it('reads a signed number as one literal, however it is spaced, and an operator before a name as code', () => {
    const forms = ['f(-5)', 'f(- 5)', 'f(-\n  5)'].map((source) => tokenForm(rootOf(source), rules));
    expect(forms.map((form) => form.key)).toEqual(['f ( -5 )', 'f ( - 5 )', 'f ( -\n  5 )']);
    expect(new Set(forms.map((form) => form.skeleton))).toEqual(new Set(['f ( \u2047 )']));
    expect(tokenForm(rootOf('f(-x, +2.5e3)'), rules)).toEqual({
      key: 'f ( - x +2.5e3 )',
      skeleton: 'f ( - x \u2047 )',
      literals: ['+2.5e3'],
    });
  });

  it('reads a statement that is only a signed number as that number', () => {
    expect(tokenForm(rootOf('-5\n'), rules)).toEqual({ key: '-5', skeleton: '\u2047', literals: ['-5'] });
    expect(tokenForm(rootOf('-5 - 3\n'), rules).key).toBe('-5 - 3');
  });

  it('leaves out comments, separators and skipped nodes', () => {
    const root = rootOf("assert.equal(a, 5, 'message') // why\n");
    const message = first(root, 'arguments').namedChildren()[2];
    if (!message) throw new Error('no message');
    expect(tokenForm(root, rules, new Set([message.id()])).key).toBe('assert . equal ( a 5 )');
  });
});

describe('tokenForms', () => {
  const source = `it('adds', () => {
  const sum = add(2, -3);
  expect(sum).toBe(-1);
  assert.equal(sum, -1, 'sum of -3');
  log('expect(x)');
});
`;

  it('gives each inner node the form its own walk gives, from one walk of the outer node', () => {
    const root = rootOf(source);
    const body = first(root, 'arrow_function');
    const statements = body.findAll({ rule: { kind: 'expression_statement' } });
    const message = root.findAll({ rule: { kind: 'string' } })[1];
    const skipped = new Set(message ? [message.id()] : []);
    const walked = tokenForms(body, statements, rules, skipped);
    expect(walked.form).toEqual(tokenForm(body, rules, skipped));
    expect(walked.inner).toEqual(statements.map((statement) => tokenForm(statement, rules, skipped)));
    expect(walked.inner[0]?.key).toBe('expect ( sum ) . toBe ( -1 )');
    expect(walked.inner[1]?.key).toBe('assert . equal ( sum -1 )');
  });

  it('has no form for an inner node its walk does not reach', () => {
    const root = rootOf(source);
    const body = first(root, 'arrow_function');
    const fragment = body.findAll({ rule: { kind: 'string_fragment' } }).at(-1);
    const title = first(root, 'string');
    if (!fragment) throw new Error('no fragment');
    expect(tokenForms(body, [fragment, title], rules).inner).toEqual([undefined, undefined]);
  });
});
