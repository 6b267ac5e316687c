import { resolveCommit } from '../workspace/refs.ts';
import type { HookSession } from './hook-sessions.ts';

/**
 * The commit an agent session's change is measured from: the ref the caller names (a run's base), else
 * the HEAD the session's hooks first saw (recorded in its session file), else HEAD now. So commits the
 * agent makes during the session are judged too.
 */
export async function sessionBase(
  repoRoot: string,
  session: HookSession,
  named: string | undefined,
  /** HEAD's commit, when the caller knows it already: saves the git calls that would find it again. */
  head?: string,
): Promise<string> {
  if (named) return resolveCommit(repoRoot, named);
  if (head !== undefined && (session.base_commit === undefined || session.base_commit === head)) return head;
  if (session.base_commit) {
    const recorded = await resolveCommit(repoRoot, session.base_commit).catch(() => undefined);
    if (recorded) return recorded;
  }
  return head ?? resolveCommit(repoRoot, 'HEAD');
}
