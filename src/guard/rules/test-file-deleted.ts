import type { GuardRule } from '../finding.ts';
import { listTests, plural } from './describe.ts';

/** A test file that existed at the base is gone, and its tests did not reappear in another file. */
export const testFileDeleted: GuardRule = {
  id: 'test-file-deleted',
  check({ base, files, removed }) {
    return files.flatMap((file) => {
      if (file.before === undefined || file.after !== undefined) return [];
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
            `test file deleted; ${plural(lost.length, 'test')} of ${file.before.length} exist nowhere else: ` +
            `${listTests(lost)} at ${base}. Restore it: git checkout ${base} -- ${file.path}`,
        },
      ];
    });
  },
};
