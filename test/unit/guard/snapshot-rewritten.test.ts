import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/guard/finding.ts';
import { snapshotRewritten } from '../../../src/guard/rules/snapshot-rewritten.ts';
import { contextForChange } from './changed-context.ts';

function findingsFor(path: string, before: string | undefined, after: string | undefined): Finding[] {
  return snapshotRewritten.check(contextForChange(path, before, after));
}

const jestSnap = (
  entries: Record<string, string>,
  header = 'Vitest Snapshot v1, https://vitest.dev/guide/snapshot.html',
) =>
  `// ${header}\n\n${Object.entries(entries)
    .map(([name, value]) => `exports[\`${name}\`] = \`\n${value}\n\`;\n`)
    .join('\n')}`;
const ambr = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([name, value]) => `# serializer version: 1\n# name: ${name}\n  ${value}\n# ---\n`)
    .join('');

const receipt = '{\n  "items": 2,\n  "total": 30,\n}';
const snapPath = 'test/__snapshots__/receipt.test.ts.snap';

describe('snapshot-rewritten', () => {
  it('blocks a changed entry of a jest/vitest snapshot, at the entry, naming it', () => {
    const before = jestSnap({ 'receipt > prints the total 1': receipt, 'receipt > prints nothing 1': '""' });
    const after = jestSnap({
      'receipt > prints the total 1': receipt.replace('30', '31'),
      'receipt > prints nothing 1': '""',
    });
    const findings = findingsFor(snapPath, before, after);
    expect(findings).toEqual([
      {
        rule: 'snapshot-rewritten',
        path: snapPath,
        line: 3,
        severity: 'block',
        message:
          'snapshot rewritten: 1 existing entry changed: "receipt > prints the total 1". If the output change is ' +
          `intended, a human must approve it; restore: git checkout main -- ${snapPath}`,
      },
    ]);
  });

  it('blocks a line added inside an existing entry, and an entry removed', () => {
    const before = jestSnap({ 'a 1': receipt, 'b 1': '"b"' });
    const grown = jestSnap({ 'a 1': receipt.replace('"total": 30,', '"total": 30,\n  "discount": 0,'), 'b 1': '"b"' });
    expect(findingsFor(snapPath, before, grown).map((finding) => finding.severity)).toEqual(['block']);
    const [removed] = findingsFor(snapPath, before, jestSnap({ 'a 1': receipt }));
    expect(removed?.message).toContain('"b 1" (removed)');
  });

  it('allows new entries and a new snapshot header', () => {
    const before = jestSnap({ 'b 1': '"b"' });
    expect(findingsFor(snapPath, before, jestSnap({ 'a 1': '"a"', 'b 1': '"b"', 'c 1': '"c"' }))).toEqual([]);
    expect(
      findingsFor(snapPath, before, jestSnap({ 'b 1': '"b"' }, 'Jest Snapshot v1, https://goo.gl/fbAQLP')),
    ).toEqual([]);
  });

  it('allows new snapshot files', () => {
    expect(findingsFor('test/__snapshots__/cart.test.ts.snap', undefined, jestSnap({ 'a 1': '"a"' }))).toEqual([]);
    expect(findingsFor('tests/snapshots/cart__total.snap', undefined, '---\nsource: tests/cart.rs\n---\n30\n')).toEqual(
      [],
    );
  });

  it('blocks a changed syrupy entry', () => {
    const path = 'tests/__snapshots__/test_receipt.ambr';
    const findings = findingsFor(path, ambr({ test_total: '30' }), ambr({ test_total: '31' }));
    expect(findings).toMatchObject([{ line: 2, severity: 'block' }]);
    expect(findings[0]?.message).toContain('"test_total"');
  });

  it.each([
    ['insta', 'tests/snapshots/cart__total.snap', '---\nsource: tests/cart.rs\nexpression: total\n---\n30\n', 5],
    ['cupaloy', 'pkg/cart/.snapshots/TestTotal', 'cart.Receipt{\n  Total: 30,\n}\n', 2],
    ['a Go golden file', 'pkg/cart/testdata/receipt/total.golden', 'items: 2\ntotal: 30\n', 2],
    ['an entry-less .snap', 'test/__snapshots__/custom.snap', 'custom\n30\n', 2],
    ['a syrupy single-file snapshot', 'tests/__snapshots__/test_receipt/test_total.raw', 'x\n30\n', 2],
  ])('blocks a rewritten %s snapshot at its first changed line', (_, path, before, line) => {
    const findings = findingsFor(path, before, before.replace('30', '31'));
    expect(findings).toMatchObject([{ path, line, severity: 'block' }]);
    expect(findings[0]?.message).toContain(`restore: git checkout main -- ${path}`);
  });

  it('blocks a deleted snapshot file', () => {
    const [finding] = findingsFor('pkg/cart/testdata/total.golden', 'total: 30\n', undefined);
    expect(finding).toMatchObject({ line: 1, severity: 'block' });
    expect(finding?.message).toContain('the snapshot file was deleted');
  });

  it('reads snapshot files only', () => {
    const reads = (path: string) => snapshotRewritten.reads?.(path) ?? false;
    expect([snapPath, 'tests/snapshots/a__b.snap', 'x/.snapshots/TestA', 'testdata/a.golden'].every(reads)).toBe(true);
    expect(['src/snapshots.ts', 'testdata/input.json', 'snapshots/readme.md', 'a.golden'].some(reads)).toBe(false);
  });
});
