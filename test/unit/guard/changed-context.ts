import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { GuardContext } from '../../../src/guard/finding.ts';

/** A guard context for one file changed from `before` to `after` (undefined: absent on that side), based on `main`. */
export function contextForChange(path: string, before: string | undefined, after: string | undefined): GuardContext {
  const status = before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified';
  const changed: ChangedFile[] = [{ path, status, before, after }];
  return { base: 'main', files: [], pairs: [], removed: [], added: [], changed, protectedBy: () => undefined };
}
