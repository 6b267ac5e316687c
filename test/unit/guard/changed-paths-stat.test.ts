import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedPaths } from '../../../src/guard/changed-files.ts';
import { git } from '../../support/gitdir.ts';
import { committedRepository, rewriteKeepingSizeAndMtime, settle } from '../gates/git-input-fixtures.ts';

const test = "import assert from 'node:assert';\nassert.equal(total(), 280);\n";
/** The same size (rewriteKeepingSizeAndMtime checks it): an assertion that checks nothing. */
const weakened = "import assert from 'node:assert';\nassert.ok(total() !== 1);  \n";

/** Whether plain git, with the repository's own settings, lists no change (git itself is fooled). */
function gitSeesNoChange(root: string): boolean {
  return execFileSync('git', ['diff-index', '--name-only', 'HEAD'], { cwd: root }).length === 0;
}

describe('the guard lists a rewritten test that lax stat settings hide from git', () => {
  it.each([
    [
      'core.checkStat=minimal and core.trustctime=false',
      [
        ['core.checkStat', 'minimal'],
        ['core.trustctime', 'false'],
      ],
    ],
    ['core.trustctime=false alone', [['core.trustctime', 'false']]],
  ])('%s', async (_label, settings) => {
    const root = await committedRepository({ 'test/total.test.js': test });
    for (const [key, value] of settings) await git(root, 'config', key as string, value as string);
    await settle(root);
    rewriteKeepingSizeAndMtime(join(root, 'test/total.test.js'), weakened);
    expect(gitSeesNoChange(root)).toBe(true);
    expect(await changedPaths(root, 'HEAD')).toEqual([{ path: 'test/total.test.js', status: 'modified' }]);
  });
});
