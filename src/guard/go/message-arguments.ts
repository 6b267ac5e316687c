import type { SgNode } from '@ast-grep/napi';
import type { SkippedNodes } from '../tests/token-form.ts';
import { testerParameterOf } from './tester-parameter.ts';

/** Methods of `*testing.T` whose arguments are only text for the log: the condition around them is the check. */
const messageMethods = new Set(['Error', 'Errorf', 'Fatal', 'Fatalf', 'Log', 'Logf', 'Skip', 'Skipf']);
const testifyPackages = new Set(['assert', 'require']);
/** How many values a testify assertion takes after `t`; the rest are `msgAndArgs`. Its `...f` forms take the same. */
const testifyValueCounts = new Map<string, number>([
  ...['Fail', 'FailNow'].map((name) => [name, 0] as const),
  ...[
    ...['True', 'False', 'Nil', 'NotNil', 'Empty', 'NotEmpty', 'NoError', 'Error', 'Zero', 'NotZero', 'Positive'],
    ...['Negative', 'Panics', 'NotPanics', 'Condition', 'FileExists', 'NoFileExists', 'DirExists', 'NoDirExists'],
    ...['IsIncreasing', 'IsDecreasing', 'IsNonIncreasing', 'IsNonDecreasing'],
  ].map((name) => [name, 1] as const),
  ...[
    ...['Equal', 'NotEqual', 'EqualValues', 'NotEqualValues', 'Exactly', 'Same', 'NotSame', 'Contains'],
    ...['NotContains', 'ElementsMatch', 'NotElementsMatch', 'Subset', 'NotSubset', 'Greater', 'GreaterOrEqual'],
    ...['Less', 'LessOrEqual', 'Len', 'ErrorIs', 'NotErrorIs', 'ErrorAs', 'ErrorContains', 'EqualError'],
    ...['IsType', 'IsNotType', 'Implements', 'NotImplements', 'Regexp', 'NotRegexp', 'JSONEq', 'YAMLEq'],
    ...['PanicsWithValue', 'PanicsWithError', 'EqualExportedValues'],
  ].map((name) => [name, 2] as const),
  ...['InDelta', 'InEpsilon', 'InDeltaSlice', 'InEpsilonSlice', 'InDeltaMapValues', 'WithinDuration', 'WithinRange']
    .concat(['Eventually', 'Never'])
    .map((name) => [name, 3] as const),
]);
const functionKinds = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/**
 * Ids of the failure messages in a Go test file: every argument of `t.Errorf`, `t.Fatal`, `t.Log`, `t.Skip`...
 * on a `*testing.T` (the condition around the call is the check), and testify's `msgAndArgs` after the
 * compared values (`assert.Equal(t, want, got, "sum of %d", n)`).
 */
export function messageArgumentIds(root: SgNode): SkippedNodes {
  const ids = new Set<number>();
  const walk = (node: SgNode, testers: ReadonlySet<string>) => {
    if (functionKinds.has(String(node.kind()))) {
      const tester = testerParameterOf(node);
      if (tester) testers = new Set([...testers, tester]);
    }
    if (node.kind() === 'call_expression') {
      for (const message of messagesOf(node, testers)) ids.add(message.id());
    }
    for (const child of node.children()) walk(child, testers);
  };
  walk(root, new Set());
  return ids;
}

function messagesOf(call: SgNode, testers: ReadonlySet<string>): SgNode[] {
  const callee = call.field('function');
  const receiver = callee?.kind() === 'selector_expression' ? callee.field('operand') : null;
  if (!callee || receiver?.kind() !== 'identifier') return [];
  const method = callee.field('field')?.text() ?? '';
  const args =
    call
      .field('arguments')
      ?.children()
      .filter((child) => child.isNamed() && child.kind() !== 'comment') ?? [];
  if (testers.has(receiver.text())) return messageMethods.has(method) ? args : [];
  if (!testifyPackages.has(receiver.text())) return [];
  const values = testifyValueCounts.get(method) ?? testifyValueCounts.get(method.replace(/f$/, ''));
  return values === undefined ? [] : args.slice(1 + values);
}
