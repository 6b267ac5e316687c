import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPreToolUse } from '../../../src/hooks/pre-tool-use.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

const files = {
  'package.json': '{ "type": "module" }\n',
  'src/add.js': 'export const add = (a, b) => a - b;\n',
  'test/add.test.js': "import { test } from 'node:test';\ntest('adds', () => {});\n",
  'sluice.yaml': 'gates:\n  unit:\n    run: node --test\n',
};

const call = (cwd: string, toolName: string, toolInput: Record<string, unknown>) =>
  runPreToolUse({ sessionId: 's-1', cwd, toolName, toolInput });

describe('runPreToolUse', () => {
  it('denies Edit and Write of an existing test file, saying what to do instead', async () => {
    const repo = await gitdir({ files });
    for (const tool of ['Edit', 'Write', 'MultiEdit']) {
      const outcome = await call(repo, tool, { file_path: `${repo}/test/add.test.js` });
      expect(outcome.decision).toBe('deny');
      if (outcome.decision !== 'deny') continue;
      expect(outcome.reason).toContain(
        `${tool} on test/add.test.js is not allowed because it is an existing test file`,
      );
      expect(outcome.reason).toContain('change the code under test');
      expect(outcome.reason).toContain('create a new test file');
    }
  });

  it.each(['.claude/settings.local.json', '.claude/settings.json', '.codex/hooks.json'])(
    'denies writing %s, new or not, by any tool: it can turn the hooks off',
    async (settings) => {
      const repo = await gitdir({ files });
      const write = await call(repo, 'Write', { file_path: `${repo}/${settings}` });
      expect(write).toMatchObject({
        decision: 'deny',
        reason: expect.stringContaining("configures the agent's hooks"),
      });
      const shell = await call(repo, 'Bash', { command: `echo '{"disableAllHooks": true}' > ${settings}` });
      expect(shell).toMatchObject({ decision: 'deny' });
    },
  );

  it('allows a new test file and the code under test', async () => {
    const repo = await gitdir({ files });
    expect(await call(repo, 'Write', { file_path: `${repo}/test/sub.test.js` })).toEqual({ decision: 'allow' });
    expect(await call(repo, 'Edit', { file_path: 'src/add.js' })).toEqual({ decision: 'allow' });
    expect(await call(repo, 'Read', { file_path: 'test/add.test.js' })).toEqual({ decision: 'allow' });
  });

  it('denies sluice.yaml and CI config by the glob that protects them', async () => {
    const repo = await gitdir({ files: { ...files, '.github/workflows/ci.yml': 'on: push\n' } });
    const yaml = await call(repo, 'Edit', { file_path: 'sluice.yaml' });
    expect(yaml).toMatchObject({ decision: 'deny', reason: expect.stringContaining('protected by "sluice.yaml"') });
    const ci = await call(repo, 'Write', { file_path: '.github/workflows/ci.yml' });
    expect(ci).toMatchObject({ decision: 'deny', reason: expect.stringContaining('".github/workflows/**"') });
  });

  it('denies shell commands that write a protected file, best effort, and lets readers through', async () => {
    const repo = await gitdir({ files });
    const sed = await call(repo, 'Bash', { command: "sed -i 's/adds/x/' test/add.test.js" });
    expect(sed).toMatchObject({ decision: 'deny', reason: expect.stringContaining('Bash on test/add.test.js') });
    expect(await call(repo, 'Bash', { command: 'rm test/add.test.js' })).toMatchObject({ decision: 'deny' });
    expect(await call(repo, 'Bash', { command: 'cat test/add.test.js && node --test' })).toEqual({
      decision: 'allow',
    });
  });

  it('follows guard.allow and guard.protect_tests of the committed sluice.yaml', async () => {
    const config =
      'guard:\n  protect: ["src/**"]\n  allow: ["test/add.test.js"]\ngates:\n  unit:\n    run: node --test\n';
    const repo = await gitdir({ files: { ...files, 'sluice.yaml': config } });
    expect(await call(repo, 'Edit', { file_path: 'test/add.test.js' })).toEqual({ decision: 'allow' });
    expect(await call(repo, 'Edit', { file_path: 'src/add.js' })).toMatchObject({ decision: 'deny' });
    const open = await gitdir({
      files: { ...files, 'sluice.yaml': `guard:\n  protect_tests: false\n${files['sluice.yaml']}` },
    });
    expect(await call(open, 'Edit', { file_path: 'test/add.test.js' })).toEqual({ decision: 'allow' });
  });

  it('denies shell writes to protected files however spelled, naming the file and the diff guard as the authority', async () => {
    const repo = await gitdir({ files });
    mkdirSync(join(repo, 'lib'));
    const commands = [
      'echo x>sluice.yaml',
      'echo x 1>>sluice.yaml',
      'f=sluice.yaml; echo x > "$f"',
      'cd test && truncate -s 0 add.test.js',
      'git checkout -- sluice.yaml',
      'git restore --source=HEAD test/add.test.js',
      `python3 -c "open('sluice.yaml', 'w').write('x')"`,
      `node -e "require('fs').writeFileSync('test/add.test.js', '')"`,
      "perl -pi -e 's/adds/x/' test/add.test.js",
      'rm -rf test',
      'rm test/*.test.js',
      'git checkout -- .',
      'cp /tmp/x lib/../sluice.yaml',
      'cp -t test /tmp/add.test.js',
      "find test -name '*.test.js' -delete",
      "find . -name '*.test.js' -exec sed -i 's/adds/x/' {} +",
    ];
    for (const command of commands) {
      const outcome = await call(repo, 'Bash', { command });
      expect(outcome, command).toMatchObject({ decision: 'deny' });
      if (outcome.decision !== 'deny') continue;
      expect(outcome.reason, command).toMatch(/Bash on (sluice\.yaml|test\/add\.test\.js)\b/);
      expect(outcome.reason, command).toContain('the diff guard on your changes is the authority');
    }
  });

  it('lets shell commands through that read protected files, add tests or write other files', async () => {
    const repo = await gitdir({ files: { ...files, 'src/lib/keep.js': '' } });
    const commands = [
      'cat sluice.yaml',
      'grep -rn adds test/ > /tmp/matches.txt',
      'echo "export const x = 1;" > test/new.test.js',
      'cp test/add.test.js test/copy.test.js',
      'mv src/add.js src/lib',
      'echo x>src/add.js',
      'f=src/add.js; sed -i s/-/+/ "$f"',
      `python3 -c "print(open('sluice.yaml').read()); open('src/add.js', 'w').write('')"`,
      'git checkout -b feature',
      'git restore --staged test/add.test.js',
      'git stash list',
      'rm -rf src/lib',
      "find . -name '*.tmp' -delete",
      "find test -name '*.test.js' -exec grep -l adds {} +",
    ];
    for (const command of commands) {
      expect(await call(repo, 'Bash', { command }), command).toEqual({ decision: 'allow' });
    }
  });

  it('follows symlinks to the protected file, for the file and for a folder on the way', async () => {
    const repo = await gitdir({ files });
    symlinkSync('sluice.yaml', join(repo, 'config-link'));
    symlinkSync('test', join(repo, 'tests-link'));
    const viaFile = await call(repo, 'Write', { file_path: 'config-link' });
    expect(viaFile).toMatchObject({
      decision: 'deny',
      reason: expect.stringContaining('Write on sluice.yaml (through config-link) is not allowed'),
    });
    const viaFolder = await call(repo, 'Bash', { command: 'echo x>tests-link/add.test.js' });
    expect(viaFolder).toMatchObject({
      decision: 'deny',
      reason: expect.stringContaining('on test/add.test.js (through tests-link/add.test.js)'),
    });
    expect(await call(repo, 'Bash', { command: 'cat config-link' })).toEqual({ decision: 'allow' });
    expect(await call(repo, 'Write', { file_path: 'tests-link/new.test.js' })).toEqual({ decision: 'allow' });
  });

  it('denies git commands that rewrite protected or test files across the tree, and not others', async () => {
    const repo = await gitdir({ files });
    writeFileSync(join(repo, 'test/add.test.js'), `${files['test/add.test.js']}// more\n`);
    await git(repo, 'commit', '-qam', 'test grows');
    await git(repo, 'branch', 'old', 'HEAD~1');
    for (const command of [
      'git reset --hard HEAD~1',
      'git checkout old',
      'git switch old',
      'git revert --no-edit HEAD',
    ]) {
      const outcome = await call(repo, 'Bash', { command });
      expect(outcome, command).toMatchObject({
        decision: 'deny',
        reason: expect.stringContaining('on test/add.test.js (through git'),
      });
    }
    // With only the code changed, stash and reset touch no protected file.
    writeFileSync(join(repo, 'src/add.js'), 'export const add = (a, b) => a + b;\n');
    for (const command of ['git stash', 'git reset --hard', 'git checkout -b next', 'git reset --hard no-such-rev']) {
      expect(await call(repo, 'Bash', { command }), command).toEqual({ decision: 'allow' });
    }
    // A stash holding a test change may not be popped back.
    writeFileSync(join(repo, 'test/add.test.js'), '// gone\n');
    await git(repo, 'stash');
    expect(await call(repo, 'Bash', { command: 'git stash pop' })).toMatchObject({ decision: 'deny' });
    writeFileSync(join(repo, 'test/add.test.js'), '// gone again\n');
    expect(await call(repo, 'Bash', { command: 'git stash' })).toMatchObject({ decision: 'deny' });
  });

  it("denies Codex's apply_patch on an existing test file, as its own tool or inside a shell command", async () => {
    const repo = await gitdir({ files });
    const patch = '*** Begin Patch\n*** Update File: test/add.test.js\n@@\n-a\n+b\n*** End Patch';
    expect(await call(repo, 'apply_patch', { command: patch })).toMatchObject({ decision: 'deny' });
    expect(await call(repo, 'Bash', { command: `apply_patch <<'EOF'\n${patch}\nEOF` })).toMatchObject({
      decision: 'deny',
      reason: expect.stringContaining('test/add.test.js'),
    });
    const added = '*** Begin Patch\n*** Add File: test/more.test.js\n+x\n*** End Patch';
    expect(await call(repo, 'apply_patch', { command: added })).toEqual({ decision: 'allow' });
  });

  it('lets everything through outside a git repository, saying why', async () => {
    const dir = tempDir('sluice-no-git-');
    expect(await call(dir, 'Write', { file_path: 'test/add.test.js' })).toEqual({
      decision: 'allow',
      note: expect.stringContaining('is not inside a git repository'),
    });
  });

  it('lets everything through in a repository with no commit yet, saying why', async () => {
    const repo = join(tempDir('sluice-unborn-'), 'repo');
    execFileSync('git', ['init', '--quiet', repo]);
    writeFiles(repo, files);
    for (const path of ['test/add.test.js', 'sluice.yaml']) {
      expect(await call(repo, 'Edit', { file_path: path })).toEqual({
        decision: 'allow',
        note: expect.stringContaining('has no commit yet'),
      });
    }
  });
});
