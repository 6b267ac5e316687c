import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { JudgeCheckout, JudgeError } from '../../../src/judge/judge-checkout.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

async function commitFiles(repo: string, files: Record<string, string>, message = 'change'): Promise<string> {
  writeFiles(repo, files);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '--quiet', '--no-verify', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

function judgeOf(repo: string, setupYaml = ''): JudgeCheckout {
  const config = parseConfigText(`${setupYaml}gates:\n  unit: { run: "true" }\n`, 'inline');
  return new JudgeCheckout({
    repoRoot: repo,
    path: join(dirname(repo), '.sluice-worktrees', 'repo', '.judge', 'r1'),
    configDir: '',
    setup: config.setup,
    logDir: join(dirname(repo), 'logs'),
  });
}

describe('JudgeCheckout', () => {
  it('holds exactly the commit, whatever was planted in it since the last check', async () => {
    const repo = await gitdir({ files: { 'src/a.js': 'export const a = 1;\n', '.gitignore': 'build/\n' } });
    const first = await git(repo, 'rev-parse', 'HEAD');
    const judge = judgeOf(repo);
    const tree = await judge.prepare(first);
    expect(readFileSync(join(tree.root, 'src/a.js'), 'utf8')).toBe('export const a = 1;\n');

    // Between two checks someone writes into the judge checkout: a tracked file, an untracked preload,
    // an ignored file, and index bits that would make git look away from the tracked one.
    writeFileSync(join(tree.root, 'src/a.js'), 'export const a = 2;\n');
    writeFileSync(join(tree.root, 'preload.cjs'), 'globalThis.cheat = true;\n');
    mkdirSync(join(tree.root, 'build'));
    writeFileSync(join(tree.root, 'build/out.js'), 'cheat\n');
    await git(tree.root, 'update-index', '--assume-unchanged', 'src/a.js');
    writeFileSync(join(tree.root, '.gitignore'), 'planted\n');
    await git(tree.root, 'update-index', '--skip-worktree', '.gitignore');

    const second = await commitFiles(repo, { 'src/b.js': 'export const b = 1;\n' });
    const again = await judge.prepare(second);
    expect(readFileSync(join(again.root, 'src/a.js'), 'utf8')).toBe('export const a = 1;\n');
    expect(readFileSync(join(again.root, 'src/b.js'), 'utf8')).toBe('export const b = 1;\n');
    expect(readFileSync(join(again.root, '.gitignore'), 'utf8')).toBe('build/\n');
    expect(await git(again.root, 'ls-files', '-v')).not.toMatch(/^(S|[a-z]) /m);
    expect(existsSync(join(again.root, 'preload.cjs'))).toBe(false);
    expect(existsSync(join(again.root, 'build'))).toBe(false);
    expect(await git(again.root, 'rev-parse', 'HEAD')).toBe(second);

    await judge.remove();
    expect(existsSync(again.root)).toBe(false);
    expect(await git(repo, 'worktree', 'list')).not.toContain('.judge');
  });

  it('still clears planted index bits and checks HEAD when its .git file no longer reads as git wrote it', async () => {
    const repo = await gitdir({ files: { 'src/a.js': 'export const a = 1;\n' } });
    const judge = judgeOf(repo);
    const tree = await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
    // The same git dir, written another way git accepts: what Sluice read of it before no longer counts.
    const gitFile = join(tree.root, '.git');
    writeFileSync(gitFile, `${readFileSync(gitFile, 'utf8').trimEnd()}\r\n`);
    writeFileSync(join(tree.root, 'src/a.js'), 'export const a = 2;\n');
    await git(tree.root, 'update-index', '--assume-unchanged', 'src/a.js');

    const second = await commitFiles(repo, { 'src/b.js': 'export const b = 1;\n' });
    const again = await judge.prepare(second);
    expect(readFileSync(join(again.root, 'src/a.js'), 'utf8')).toBe('export const a = 1;\n');
    expect(await git(again.root, 'ls-files', '-v')).not.toMatch(/^(S|[a-z]) /m);
    expect(await git(again.root, 'rev-parse', 'HEAD')).toBe(second);
    await judge.remove();
  });

  it('keeps what a setup step with inputs made until its inputs change, and redoes it when it was touched', async () => {
    const repo = await gitdir({
      files: { 'package-lock.json': '{"v":1}\n', '.gitignore': 'deps/\n' },
    });
    const setup = `setup:\n  - run: mkdir -p deps && cat package-lock.json > deps/lock && echo x >> ../setup-runs\n    inputs: [package-lock.json]\n`;
    const judge = judgeOf(repo, setup);
    const runs = () => readFileSync(join(dirname(judge.options.path), 'setup-runs'), 'utf8').split('\n').length - 1;

    const first = await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
    expect(readFileSync(join(first.root, 'deps/lock'), 'utf8')).toBe('{"v":1}\n');
    expect(runs()).toBe(1);

    const unrelated = await commitFiles(repo, { 'README.md': 'more\n' });
    const second = await judge.prepare(unrelated);
    expect(readFileSync(join(second.root, 'deps/lock'), 'utf8')).toBe('{"v":1}\n');
    expect(runs()).toBe(1);

    const lockChanged = await commitFiles(repo, { 'package-lock.json': '{"v":2}\n' });
    await judge.prepare(lockChanged);
    expect(readFileSync(join(second.root, 'deps/lock'), 'utf8')).toBe('{"v":2}\n');
    expect(runs()).toBe(2);

    // A kept folder patched between checks (its mtime put back does not matter: ctime moves) is not trusted.
    writeFileSync(join(second.root, 'deps/lock'), 'patched\n');
    const third = await judge.prepare(lockChanged);
    expect(readFileSync(join(third.root, 'deps/lock'), 'utf8')).toBe('{"v":2}\n');
    expect(runs()).toBe(3);
    expect(third.notes.join('\n')).toContain('kept folders changed since the last check (deps)');
    await judge.remove();
  });

  it('runs a setup step again on a tree without what it made last time: a link is never made inside itself', async () => {
    const repo = await gitdir({ files: { '.gitignore': 'node_modules/\n', 'package-lock.json': '{"v":1}\n' } });
    mkdirSync(join(repo, 'node_modules/left-pad'), { recursive: true });
    const link = 'ln -s "$SLUICE_MAIN_CHECKOUT/node_modules" node_modules';
    for (const setup of [`setup:\n  - ${link}\n`, `setup:\n  - { run: '${link}', inputs: [package-lock.json] }\n`]) {
      const judge = judgeOf(repo, setup);
      await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
      await judge.prepare(await commitFiles(repo, { 'package-lock.json': `{"v":${Math.random()}}\n` }));
      const tree = await judge.prepare(await commitFiles(repo, { 'README.md': `${Math.random()}\n` }));
      expect(readlinkSync(join(tree.root, 'node_modules'))).toBe(join(repo, 'node_modules'));
      // The user's own folder: nothing was written into it through the link.
      expect(existsSync(join(repo, 'node_modules/node_modules'))).toBe(false);
      await judge.remove();
    }
  });

  it('borrows the dependencies of the user checkout when setup says nothing', async () => {
    const repo = await gitdir({ files: { '.gitignore': 'node_modules/\n', 'index.js': '\n' } });
    mkdirSync(join(repo, 'node_modules/left-pad'), { recursive: true });
    writeFileSync(join(repo, 'node_modules/left-pad/index.js'), 'module.exports = 1;\n');
    const judge = judgeOf(repo);
    const tree = await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
    const link = join(tree.root, 'node_modules');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join(repo, 'node_modules'));
    expect(tree.notes).toContain('dependencies from your checkout: node_modules');
    // Kept across checks, still a link to the user's folder.
    const again = await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
    expect(readlinkSync(join(again.root, 'node_modules'))).toBe(join(repo, 'node_modules'));
    await judge.remove();
    expect(existsSync(join(repo, 'node_modules/left-pad/index.js'))).toBe(true);
  });

  it('borrows dependencies installed since the last check, and links them again when the judged tree broke the link', async () => {
    const repo = await gitdir({ files: { '.gitignore': 'node_modules/\n', 'index.js': '\n' } });
    const judge = judgeOf(repo);
    const head = await git(repo, 'rev-parse', 'HEAD');
    const none = await judge.prepare(head);
    expect(existsSync(join(none.root, 'node_modules'))).toBe(false);
    // Installed in the user's checkout after the first check: asked for while the checkout is reset.
    mkdirSync(join(repo, 'node_modules/left-pad'), { recursive: true });
    const installed = await judge.prepare(head);
    expect(readlinkSync(join(installed.root, 'node_modules'))).toBe(join(repo, 'node_modules'));
    // A gate swapped the borrowed link for a folder of its own: the reset drops it, and it is borrowed again.
    rmSync(join(installed.root, 'node_modules'));
    mkdirSync(join(installed.root, 'node_modules/forged'), { recursive: true });
    const again = await judge.prepare(head);
    expect(again.notes).toContain('kept folders changed since the last check (node_modules): removed and set up again');
    expect(again.notes).toContain('dependencies from your checkout: node_modules');
    expect(readlinkSync(join(again.root, 'node_modules'))).toBe(join(repo, 'node_modules'));
    await judge.remove();
    expect(existsSync(join(repo, 'node_modules/left-pad'))).toBe(true);
  });

  it('judges nothing when the commit holds a symbolic link that leads outside the repository', async () => {
    const repo = await gitdir({ files: { 'src/a.js': 'export const a = 1;\n' } });
    symlinkSync('../../elsewhere/node_modules', join(repo, 'node_modules'));
    symlinkSync('src/a.js', join(repo, 'inside.js'));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'links');
    const judge = judgeOf(repo);
    const failure = await judge.prepare(await git(repo, 'rev-parse', 'HEAD')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JudgeError);
    expect((failure as JudgeError).message).toBe(
      'the commit holds a symbolic link that leads outside the repository: node_modules -> ../../elsewhere/node_modules',
    );
    await git(repo, 'rm', '-q', 'node_modules');
    await git(repo, 'commit', '-qm', 'no outside link');
    const tree = await judge.prepare(await git(repo, 'rev-parse', 'HEAD'));
    expect(readFileSync(join(tree.root, 'inside.js'), 'utf8')).toBe('export const a = 1;\n');
    await judge.remove();
  });

  it('judges nothing when a chain of committed links that reads as inside leads outside', async () => {
    const repo = await gitdir({ files: { 'src/a.js': 'export const a = 1;\n' } });
    const outside = join(dirname(repo), '.sluice-worktrees', 'repo', 'agent-tree');
    writeFiles(outside, { 'real.js': 'export const a = 2;\n' });
    // From the judge checkout (<worktrees>/repo/.judge/r1): p/q/up leads to the checkout's top, so
    // p/q/up/../../agent-tree climbs from there to <worktrees>/repo/agent-tree, while it reads as p/agent-tree.
    mkdirSync(join(repo, 'p/q'), { recursive: true });
    symlinkSync('../..', join(repo, 'p/q/up'));
    symlinkSync('../p/q/up/../../agent-tree/real.js', join(repo, 'src/real.js'));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'chained links');
    const judge = judgeOf(repo);
    const failure = await judge.prepare(await git(repo, 'rev-parse', 'HEAD')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JudgeError);
    expect((failure as JudgeError).message).toBe(
      'the commit holds a symbolic link that leads outside the repository: src/real.js -> ../p/q/up/../../agent-tree/real.js',
    );
    await judge.remove();
  });

  it('fails with the step and its output when setup fails', async () => {
    const repo = await gitdir();
    const judge = judgeOf(repo, 'setup:\n  - echo "no lockfile here" >&2; exit 3\n');
    const failure = await judge.prepare(await git(repo, 'rev-parse', 'HEAD')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JudgeError);
    expect((failure as JudgeError).message).toMatch(
      /setup step 1 .* failed in the judge checkout: exit 3: no lockfile here/,
    );
    await judge.remove();
  });
});
