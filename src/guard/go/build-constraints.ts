import type { SgNode } from '@ast-grep/napi';
import type { TestMarker } from '../tests/test-case.ts';

const buildIgnore = /^\/\/(?:go:build| \+build)\s.*(?<![!\w])ignore\b/;

/** `//go:build ignore` above the package clause: no test of the file is built. */
export function buildIgnoreMarkers(root: SgNode): TestMarker[] {
  const markers: TestMarker[] = [];
  for (const child of root.children()) {
    if (child.kind() === 'package_clause') break;
    if (child.kind() === 'comment' && buildIgnore.test(child.text())) {
      markers.push({ kind: 'skip', text: child.text(), line: child.range().start.line + 1 });
    }
  }
  return markers;
}
