import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { runGit } from '../../../src/workspace/git.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** The files of the input-hashing tests' repository: tracked ones, one ignored but tracked, an ignored folder. */
export const sources = {
  '.gitignore': 'dist/\n*.log\n',
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export const b = 2;\n',
  'src/kept.log': 'tracked although ignored\n',
  'docs/readme.md': 'docs\n',
};

/** A committed repository whose index is newer than its files (so no entry is racily clean). */
export async function committedRepository(files: Record<string, string> = sources): Promise<string> {
  const root = await gitdir({ files });
  await git(root, 'add', '-f', '--', ...Object.keys(files));
  await git(root, 'commit', '--quiet', '--allow-empty', '-m', 'all files, ignored ones too');
  await settle(root);
  return root;
}

/** Past the second the files were written in, then let git write its index (as any `git status` does). */
export async function settle(root: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await runGit(root, ['update-index', '-q', '--refresh']);
}

/** Rewrite a file with content of the same size, then set its mtime back to the old one, to the nanosecond. */
export function rewriteKeepingSizeAndMtime(file: string, content: string): void {
  const before = statSync(file, { bigint: true });
  expect(Buffer.byteLength(content)).toBe(Number(before.size));
  writeFileSync(file, content);
  const seconds = before.mtimeNs / 1_000_000_000n;
  const nanoseconds = String(before.mtimeNs % 1_000_000_000n).padStart(9, '0');
  execFileSync('touch', ['-m', '-d', `@${seconds}.${nanoseconds}`, file]);
  expect(statSync(file, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
  expect(statSync(file).size).toBe(Number(before.size));
}

/**
 * Put a `git` first on PATH (for this test) that logs each call before running the real one; returns how
 * many logged calls name `command`.
 */
export function countGitCalls(): (command: string) => number {
  const log = join(tempDir(), 'git-calls.log');
  const wrappers = tempDir();
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(wrappers, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(wrappers, 'git'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${wrappers}:${path}`;
  onTestFinished(() => {
    process.env.PATH = path;
  });
  return (command) =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.includes(command)).length
      : 0;
}
