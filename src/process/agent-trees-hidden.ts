import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/**
 * The agent trees a command working in a judge checkout must not see: every other entry of the folder that
 * holds the `.judge` folder (the runs' worktrees, `<worktrees>/<run id>` beside `<worktrees>/.judge/`), and
 * the git admin folder of each (`.git/worktrees/<name>`), which an agent can also write. The judged commit
 * can name any path (`export { add } from '/…/.sluice-worktrees/repo/<run>/build/real.js'`): without this, a
 * gate, a setup step or a service would load from the agent's worktree what the commit does not hold, files
 * git ignores included, and pass a change that fails everywhere else. Empty outside a judge checkout (agent
 * turns, `sluice check` in a working tree).
 */
export function agentTreesHiddenFrom(cwd: string): string[] {
  const parts = resolve(cwd).split(sep);
  const at = parts.lastIndexOf('.judge');
  // `<…>/.sluice-worktrees/<repo>/.judge/<checkout>`, as worktrees.ts and the judges lay them out: a folder
  // of the user's that happens to be named `.judge` hides nothing.
  if (at < 2 || parts[at - 2] !== '.sluice-worktrees' || at === parts.length - 1) return [];
  const worktrees = parts.slice(0, at).join(sep) || sep;
  let names: string[];
  try {
    names = readdirSync(worktrees);
  } catch {
    return [];
  }
  const hidden: string[] = [];
  for (const name of names) {
    if (name === '.judge') continue;
    const tree = join(worktrees, name);
    if (!isDirectory(tree)) continue;
    hidden.push(tree);
    const admin = gitAdminFolder(tree);
    if (admin && isDirectory(admin)) hidden.push(admin);
  }
  return hidden;
}

/** The folder a worktree's `.git` file names (`gitdir: <path>`), when it has one. */
function gitAdminFolder(tree: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(tree, '.git'), 'utf8');
  } catch {
    return undefined;
  }
  const named = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim();
  if (!named) return undefined;
  return isAbsolute(named) ? named : resolve(dirname(join(tree, '.git')), named);
}

/** A directory itself, not a link to one (a link is hidden by hiding what it leads to, or leads nowhere). */
function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
