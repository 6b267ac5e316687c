import { dirname, join, relative, resolve } from 'node:path';
import { configFileNames } from '../config/config-file.ts';
import { runGit } from '../workspace/git.ts';
import { realPath } from '../workspace/worktree-probe.ts';
import { hookGround } from './hook-ground.ts';
import { type HookSession, hookSessionsDir, readHookSession } from './hook-sessions.ts';

/** A session whose hooks judged with a sluice.yaml that is gone from the working tree now. */
export interface LostConfig {
  sessionsDir: string;
  session: HookSession;
  failure: string;
}

/**
 * When no sluice.yaml is found from `from`: whether this session started where one was, and its base commit
 * holds it. Deleting sluice.yaml must not turn the Stop hook into "nothing to check". The folders from `from`
 * up to the top of the work tree are where the config could have been (each keys its own sessions folder);
 * one session file read each, and one git call for the one that has a record.
 */
export async function lostConfig(from: string, sessionId: string): Promise<LostConfig | undefined> {
  const ground = await hookGround(from);
  if ('missing' in ground) return undefined;
  const top = resolve(ground.repoRoot);
  for (let dir = realPath(from); ; dir = dirname(dir)) {
    const sessionsDir = hookSessionsDir(dir);
    const session = await readHookSession(sessionsDir, sessionId);
    if (session.base_commit) {
      const paths = configFileNames.map((name) => relative(top, join(dir, name)));
      const listed = await runGit(top, ['ls-tree', '-z', '--name-only', session.base_commit, '--', ...paths]);
      // A base the repository no longer has: the session cannot be judged at all.
      const gone = listed.exitCode === 0 ? listed.stdout.split('\0').find((path) => path !== '') : 'sluice.yaml';
      if (gone) {
        return {
          sessionsDir,
          session,
          failure: `Sluice: ${gone} was removed since this session started (at ${session.base_commit}), so nothing judges the work. Restore it: git checkout ${session.base_commit} -- ${gone}`,
        };
      }
    }
    if (dir === top || dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}
