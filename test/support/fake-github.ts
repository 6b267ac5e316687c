import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './gitdir.ts';
import { tempDir } from './temp-dir.ts';

/** What the fake `gh` (fake-gh.mjs) keeps and follows. */
export interface FakeGithubState {
  remote: string;
  prs: Array<{ number: number; head: string; base: string; title: string; body: string; state: string }>;
  /** How many times `gh pr view` was asked: the clock of the script below. */
  polls: number;
  /** The required checks at poll 1, 2, ... (the last one stays). */
  checks: Array<Array<{ name: string; bucket: string }>>;
  /** Review comments, each visible from poll `after_poll` on. */
  comments: Array<{
    id: number;
    body: string;
    path?: string;
    line?: number;
    user?: { login: string };
    after_poll: number;
  }>;
  reviewDecision?: string;
  reviews?: Array<{ author: { login: string }; state: string }>;
  calls: string[];
}

/**
 * A local fake GitHub: a bare git remote added as `origin` of `repo` (its main pushed), and a fake
 * `gh` on PATH answering from a JSON state file. `env` is what Sluice runs with.
 */
export async function fakeGithub(repo: string, script: Partial<FakeGithubState> = {}) {
  const dir = tempDir('sluice-fake-github-');
  const remote = join(dir, 'remote.git');
  await git(dir, 'init', '--quiet', '--bare', remote);
  await git(remote, 'symbolic-ref', 'HEAD', 'refs/heads/main');
  await git(repo, 'remote', 'add', 'origin', remote);
  await git(repo, 'push', '--quiet', 'origin', 'main');
  const statePath = join(dir, 'state.json');
  const state: FakeGithubState = { remote, prs: [], polls: 0, checks: [], comments: [], calls: [], ...script };
  writeFileSync(statePath, JSON.stringify(state));
  const bin = join(dir, 'bin');
  const gh = join(bin, 'gh');
  mkdirSync(bin);
  const fake = fileURLToPath(new URL('./fake-gh.mjs', import.meta.url));
  writeFileSync(gh, `#!/bin/sh\nexec "${process.execPath}" "${fake}" "$@"\n`);
  chmodSync(gh, 0o755);
  return {
    remote,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_GH_STATE: statePath },
    state: (): FakeGithubState => JSON.parse(readFileSync(statePath, 'utf8')),
  };
}
