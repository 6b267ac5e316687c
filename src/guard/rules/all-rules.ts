import type { GuardRule } from '../finding.ts';
import { assertionWeakened } from './assertion-weakened.ts';
import { assertionsRemoved } from './assertions-removed.ts';
import { assertionsUnreachable } from './assertions-unreachable.ts';
import { checkerConfigLoosened } from './checker-config-loosened.ts';
import { checksSuppressed } from './checks-suppressed.ts';
import { codeDetectsTests } from './code-detects-tests.ts';
import { codeDisarmsTests } from './code-disarms-tests.ts';
import { expectedValueChanged } from './expected-value-changed.ts';
import { protectedPathChanged } from './protected-path-changed.ts';
import { runnerCodeLoaded } from './runner-code-loaded.ts';
import { runnerConfigNarrowed } from './runner-config-narrowed.ts';
import { skipMarkerAdded } from './skip-marker-added.ts';
import { snapshotRewritten } from './snapshot-rewritten.ts';
import { tableRowChanged } from './table-row-changed.ts';
import { testFileDeleted } from './test-file-deleted.ts';
import { testFileUncollected } from './test-file-uncollected.ts';
import { testSupportWeakened } from './test-support-weakened.ts';
import { testsRemoved } from './tests-removed.ts';

/** Every rule `sluice guard` applies, in the order findings are reported. */
export const guardRules: readonly GuardRule[] = [
  protectedPathChanged,
  testFileDeleted,
  testFileUncollected,
  testsRemoved,
  skipMarkerAdded,
  assertionsRemoved,
  assertionsUnreachable,
  expectedValueChanged,
  tableRowChanged,
  assertionWeakened,
  testSupportWeakened,
  checksSuppressed,
  checkerConfigLoosened,
  runnerConfigNarrowed,
  runnerCodeLoaded,
  snapshotRewritten,
  codeDetectsTests,
  codeDisarmsTests,
];
