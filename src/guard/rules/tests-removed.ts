import type { GuardRule } from '../finding.ts';
import { listTests, plural } from './describe.ts';

/** Test cases of a file that is still there were removed (not renamed, not moved to another file). */
export const testsRemoved: GuardRule = {
  id: 'tests-removed',
  check({ base, files, removed }) {
    return files.flatMap((file) => {
      if (file.before === undefined || file.after === undefined) return [];
      const lost = removed.filter((test) => test.path === file.path);
      const [first] = lost;
      if (!first) return [];
      return [
        {
          rule: this.id,
          path: file.path,
          line: first.line,
          severity: 'block' as const,
          message:
            `${plural(lost.length, 'test')} removed (${file.before.length} at ${base}, ${file.after.length} now): ` +
            `${listTests(lost)} at ${base}. Restore them from: git show ${base}:${file.path}`,
        },
      ];
    });
  },
};
