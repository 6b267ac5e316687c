import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentTreesHiddenFrom } from '../../../src/process/agent-trees-hidden.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** `<root>/.sluice-worktrees/repo` with two run worktrees (one linked to its git admin folder), a judge and a link. */
function worktrees(): { root: string; trees: string } {
  const root = tempDir();
  const trees = join(root, '.sluice-worktrees', 'repo');
  for (const folder of ['run-1/src', 'run-2', '.judge/run-1/src', '.judge/run-1.baselines']) {
    mkdirSync(join(trees, folder), { recursive: true });
  }
  mkdirSync(join(root, 'repo/.git/worktrees/run-1'), { recursive: true });
  writeFileSync(join(trees, 'run-1', '.git'), `gitdir: ${join(root, 'repo/.git/worktrees/run-1')}\n`);
  writeFileSync(join(trees, 'notes.txt'), 'a file, not a tree\n');
  symlinkSync(join(trees, 'run-2'), join(trees, 'link-to-run-2'));
  return { root, trees };
}

describe('agentTreesHiddenFrom', () => {
  it('names every tree beside the judges, and the git admin folder of each, for a command in a judge checkout', () => {
    const { root, trees } = worktrees();
    const expected = [join(trees, 'run-1'), join(root, 'repo/.git/worktrees/run-1'), join(trees, 'run-2')];
    for (const cwd of ['.judge/run-1', '.judge/run-1/src', '.judge/run-1.baselines']) {
      expect(agentTreesHiddenFrom(join(trees, cwd)).sort(), cwd).toEqual(expected.sort());
    }
  });

  it('hides nothing from a command outside a judge checkout', () => {
    const { root, trees } = worktrees();
    for (const cwd of [join(trees, 'run-1'), join(trees, '.judge'), root])
      expect(agentTreesHiddenFrom(cwd), cwd).toEqual([]);
    // A folder of the user's named `.judge`, not in Sluice's worktrees: its neighbours stay visible.
    mkdirSync(join(root, 'home/.judge/project'), { recursive: true });
    mkdirSync(join(root, 'home/.npm'), { recursive: true });
    expect(agentTreesHiddenFrom(join(root, 'home/.judge/project'))).toEqual([]);
  });
});
