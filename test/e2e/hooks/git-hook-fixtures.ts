import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../../../src/workspace/git.ts';
import { gitdir } from '../../support/gitdir.ts';

/** A gate that fails while src/app.js contains a word, saying where, as a linter would. */
const findWord = `import { readFileSync } from 'node:fs';
const word = process.argv[2];
const at = readFileSync('src/app.js', 'utf8').split('\\n').findIndex((line) => line.includes(word));
if (at >= 0) {
  console.error(\`src/app.js:\${at + 1}: \${word} left in the code\`);
  process.exit(1);
}
`;

/**
 * A repository whose sluice.yaml has a cheap gate (tier 1: no TODO in src/app.js) and a slow one (tier 2:
 * no SLOW), both passing at first, with `extraFiles` in its first commit too.
 */
export function gatedRepo(extraFiles: Record<string, string> = {}): Promise<string> {
  return gitdir({
    files: {
      'sluice.yaml':
        'gates:\n  lint:\n    run: node gates/find.mjs TODO\n    tier: 1\n  slow:\n    run: node gates/find.mjs SLOW\n    tier: 2\n',
      'gates/find.mjs': findWord,
      'src/app.js': 'export const answer = 42;\n',
      ...extraFiles,
    },
  });
}

/** `git commit` of src/ as a user types it, hooks and all: its exit code and everything it printed. */
export async function commitSrc(repo: string, message: string) {
  await runGit(repo, ['add', 'src'], { asConfigured: true });
  const result = await runGit(repo, ['commit', '--quiet', '-m', message], { asConfigured: true });
  return { exitCode: result.exitCode, output: result.stdout + result.stderr };
}

/** `git push` to `remote`, hooks and all. */
export async function push(repo: string, ...args: string[]) {
  const result = await runGit(repo, ['push', '--quiet', ...args], { asConfigured: true });
  return { exitCode: result.exitCode, output: result.stdout + result.stderr };
}

/** Every entry of a folder with its content and mode: what "left as it was" compares. */
export function folderSnapshot(dir: string): Record<string, { content: string; mode: number }> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      { content: readFileSync(join(dir, name), 'utf8'), mode: lstatSync(join(dir, name)).mode },
    ]),
  );
}
