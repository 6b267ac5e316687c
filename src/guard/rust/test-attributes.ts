import type { SgNode } from '@ast-grep/napi';
import type { MarkerKind, TestMarker } from '../tests/test-case.ts';

// `#[test]`, and the attribute macros that make a test of a function themselves: `#[tokio::test]`,
// `#[async_std::test]`, `#[test_log::test]` (last path segment `test`), rstest, test-case, wasm-bindgen-test.
const testAttributes = new Set([
  'test',
  'rstest',
  'test_case',
  'test_matrix',
  'wasm_bindgen_test',
  'quickcheck',
  'proptest',
]);
// `#[should_panic]` turns a test that panics into a pass: added to an existing test, it hides the failure.
const markerAttributes: Record<string, MarkerKind> = { ignore: 'skip', should_panic: 'xfail' };

/** What an attribute above a function says about it as a test. */
export type AttributeRole = { role: 'test' } | { role: 'marker'; marker: TestMarker } | { role: 'other' };

/** The role of one `#[...]` item: a test attribute, a marker (`#[ignore]`, `#[cfg_attr(miri, ignore)]`), or other. */
export function attributeRoleOf(item: SgNode): AttributeRole {
  const attribute = item.children().find((child) => child.kind() === 'attribute');
  const name = attribute ? pathNameOf(attribute) : '';
  const markerKind = markerOf(name) ?? (name === 'cfg_attr' && attribute ? conditionalMarker(attribute) : undefined);
  if (markerKind) {
    const marker = { kind: markerKind, text: item.text().replace(/\s+/g, ' '), line: item.range().start.line + 1 };
    return { role: 'marker', marker };
  }
  return testAttributes.has(name) ? { role: 'test' } : { role: 'other' };
}

/** `cfg_attr(miri, ignore)`: the marker applies under a condition, which still keeps the test from failing. */
function conditionalMarker(attribute: SgNode): MarkerKind | undefined {
  const applied = attribute
    .children()
    .find((child) => child.kind() === 'token_tree')
    ?.children()
    .filter((child) => child.kind() === 'identifier')
    .slice(1);
  const name = applied?.map((child) => child.text()).find((text) => markerOf(text) !== undefined);
  return name ? markerOf(name) : undefined;
}

/** The last segment of an attribute's path: `test` for `tokio::test`. */
function pathNameOf(attribute: SgNode): string {
  const path = attribute.children().find((child) => child.isNamed());
  if (path?.kind() === 'scoped_identifier') return path.field('name')?.text() ?? '';
  return path?.kind() === 'identifier' ? path.text() : '';
}

/** The marker an attribute name stands for; own keys only, so `#[toString]` or `constructor` is none. */
function markerOf(name: string): MarkerKind | undefined {
  return Object.hasOwn(markerAttributes, name) ? markerAttributes[name] : undefined;
}
