import type { GuardRule } from '../finding.ts';
import { listTests, plural } from './describe.ts';

/** Test cases of a file that is still there were removed (not renamed, not moved to another file). */
export const testsRemoved: GuardRule = {
  id: 'tests-removed',
  check({ base, files, removed, added }) {
    return files.flatMap((file) => {
      if (file.before === undefined || file.after === undefined) return [];
      const lost = removed.filter((test) => test.path === file.path);
      const [first] = lost;
      if (!first) return [];
      // Counts alone would contradict the list when tests were also added ("1 removed (2 at HEAD, 2 now)"):
      // name the new tests instead, and why they do not stand for the lost ones.
      const fresh = added.filter((test) => test.path === file.path);
      const them = lost.length === 1 ? 'it' : 'them';
      const instead =
        fresh.length === 0
          ? ''
          : `; the new ${fresh.length === 1 ? 'test' : 'tests'} ${listTests(fresh)} ${fresh.length === 1 ? 'does' : 'do'} ` +
            `not stand for ${them}: a renamed test keeps its body, a rewritten one its title`;
      const counts =
        file.after.length === file.before.length - lost.length
          ? `removed (${file.before.length} at ${base}, ${file.after.length} now):`
          : `of ${base} no longer found:`;
      return [
        {
          rule: this.id,
          path: file.path,
          line: first.line,
          severity: 'block' as const,
          message:
            `${plural(lost.length, 'test')} ${counts} ${listTests(lost)} at ${base}${instead}. ` +
            `Restore ${them} from: git show ${base}:${file.path}`,
        },
      ];
    });
  },
};
