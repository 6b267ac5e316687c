import type { GuardRule } from '../finding.ts';
import { sameSource, testName } from '../tests/test-changes.ts';
import { oneLine } from './describe.ts';

/** An existing test has fewer assertions than at the base (deleted or commented out). Moving one is fine. */
export const assertionsRemoved: GuardRule = {
  id: 'assertions-removed',
  check({ base, pairs }) {
    return pairs.flatMap(({ before, after }) => {
      if (sameSource(before, after) || after.assertions.length >= before.assertions.length) return [];
      const left = after.assertions.map((assertion) => assertion.key);
      const missing = before.assertions.filter((assertion) => {
        const index = left.indexOf(assertion.key);
        if (index === -1) return true;
        left.splice(index, 1);
        return false;
      });
      const restore = missing.map((assertion) => `\`${oneLine(assertion.text)}\` (line ${assertion.line})`).join(', ');
      return [
        {
          rule: this.id,
          path: after.path,
          line: after.line,
          severity: 'block' as const,
          message:
            `test "${testName(after)}" has ${after.assertions.length} of its ${before.assertions.length} assertions ` +
            `left; restore ${restore || 'the removed assertions'} from ${base}:${before.path}`,
        },
      ];
    });
  },
};
