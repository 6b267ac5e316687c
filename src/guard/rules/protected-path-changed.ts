import type { GuardRule } from '../finding.ts';

/** A file under `guard.protect` (or the defaults: sluice.yaml, CI config) was changed or deleted. New files are allowed. */
export const protectedPathChanged: GuardRule = {
  id: 'protected-path-changed',
  check({ base, changed, protectedBy }) {
    return changed.flatMap((file) => {
      const glob = file.status === 'added' ? undefined : protectedBy(file.path);
      if (!glob) return [];
      const what = file.status === 'deleted' ? 'deleted' : 'changed';
      return [
        {
          rule: this.id,
          path: file.path,
          line: 1,
          severity: 'block' as const,
          message:
            `protected file ${what} (guard.protect "${glob}"): the agent may not change it. ` +
            `Restore it: git checkout ${base} -- ${file.path}`,
        },
      ];
    });
  },
};
