import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../support/gitdir.ts';
import { adderTest, rightAdd } from '../support/run-fixtures.ts';
import { checkJson } from '../support/sluice-cli.ts';

// `check --commit` (the pre-push hook) judges a clean checkout of the commit, but the checks run the commit's
// code, which can write that checkout: what passed must still be the commit.
describe('sluice check --commit, when the checks change the files they judge', () => {
  it('fails a pass of a checkout whose code under test a new test file rewrote as the tests ran', async () => {
    const overwrite = `import fs from 'node:fs';\nimport { test } from 'node:test';\n\nfs.writeFileSync(new URL('../src/add.js', import.meta.url), ${JSON.stringify(rightAdd)});\n\ntest('sets up', () => {});\n`;
    const repo = await gitdir({
      files: {
        'package.json': '{ "type": "module" }\n',
        'src/add.js': 'export function add(a, b) {\n  return a - b;\n}\n',
        'test/aaa.test.js': overwrite,
        'test/add.test.js': adderTest,
        'sluice.yaml': 'gates:\n  unit:\n    run: node --test --test-concurrency=1 "test/*.test.js"\n    kind: test\n',
      },
    });
    const { json, gate } = await checkJson(repo, '--commit', await git(repo, 'rev-parse', 'HEAD'));
    expect(gate('unit').status).toBe('passed');
    expect(gate('judged-tree')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^the checks changed files of the commit they judged \(src\/add\.js\)/),
    });
    expect(json.verdict).toBe('failed');
  });
});
