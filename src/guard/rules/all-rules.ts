import type { GuardRule } from '../finding.ts';
import { assertionsRemoved } from './assertions-removed.ts';
import { skipMarkerAdded } from './skip-marker-added.ts';
import { testFileDeleted } from './test-file-deleted.ts';
import { testsRemoved } from './tests-removed.ts';

/** Every rule `sluice guard` applies, in the order findings are reported. */
export const guardRules: readonly GuardRule[] = [testFileDeleted, testsRemoved, skipMarkerAdded, assertionsRemoved];
