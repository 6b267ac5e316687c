import type { SgNode } from '@ast-grep/napi';
import type { SkippedNodes } from '../tests/token-form.ts';
import { lastCalleeName } from './syntax.ts';
import { isAssertionCall } from './test-body.ts';

/** Keywords that name a failure message: unittest's `msg=`, numpy.testing's `err_msg=`, pytest.fail's `reason=`. */
const messageKeywords = new Set(['msg', 'err_msg', 'reason']);
/**
 * How many values a unittest assert method takes before its positional `msg`. Methods whose third parameter is
 * something else (`assertRaises`, numpy's `assert_almost_equal(actual, desired, decimal)`) are not listed.
 */
const unittestValueCounts = new Map<string, number>([
  ...['fail'].map((name) => [name, 0] as const),
  ...['assertTrue', 'assertFalse', 'assertIsNone', 'assertIsNotNone', 'assert_', 'failUnless', 'failIf'].map(
    (name) => [name, 1] as const,
  ),
  ...[
    ...['assertEqual', 'assertEquals', 'assertNotEqual', 'assertNotEquals', 'failUnlessEqual', 'failIfEqual'],
    ...['assertIs', 'assertIsNot', 'assertIn', 'assertNotIn', 'assertIsInstance', 'assertNotIsInstance'],
    ...['assertGreater', 'assertGreaterEqual', 'assertLess', 'assertLessEqual', 'assertCountEqual'],
    ...['assertListEqual', 'assertTupleEqual', 'assertSetEqual', 'assertDictEqual', 'assertMultiLineEqual'],
    ...['assertSequenceEqual', 'assertRegex', 'assertNotRegex', 'assertRegexpMatches', 'assertDictContainsSubset'],
  ].map((name) => [name, 2] as const),
  // assertAlmostEqual(first, second, places, msg, delta)
  ...['assertAlmostEqual', 'assertNotAlmostEqual', 'assertAlmostEquals'].map((name) => [name, 3] as const),
]);
const splatKinds = new Set(['list_splat', 'dictionary_splat']);

/**
 * Ids of the failure messages in a Python file: the `msg` of `assert cond, msg`, and the `msg` argument of
 * unittest's assert methods and `self.fail`/`pytest.fail`, by keyword or in its position.
 */
export function messageArgumentIds(root: SgNode): SkippedNodes {
  const ids = new Set<number>();
  for (const statement of root.findAll({ rule: { kind: 'assert_statement' } })) {
    const [, message] = namedChildren(statement);
    if (message) ids.add(message.id());
  }
  for (const call of root.findAll({ rule: { kind: 'call' } })) {
    if (!isAssertionCall(call)) continue;
    const args = namedChildren(call.field('arguments'));
    for (const keyword of args.filter((arg) => arg.kind() === 'keyword_argument')) {
      if (messageKeywords.has(keyword.field('name')?.text() ?? '')) ids.add(keyword.id());
    }
    const values = unittestValueCounts.get(lastCalleeName(call) ?? '');
    if (values === undefined || args.some((arg) => splatKinds.has(String(arg.kind())))) continue;
    const message = args.filter((arg) => arg.kind() !== 'keyword_argument')[values];
    if (message) ids.add(message.id());
  }
  return ids;
}

function namedChildren(node: SgNode | null): SgNode[] {
  return node?.children().filter((child) => child.isNamed() && child.kind() !== 'comment') ?? [];
}
