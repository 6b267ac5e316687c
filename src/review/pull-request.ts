import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../process/run-process.ts';
import { makeScratchDir } from '../process/scratch-dir.ts';
import { runGit } from '../workspace/git.ts';

export interface PullRequestInput {
  /** The run's worktree, with the branch to propose checked out. */
  worktreePath: string;
  branch: string;
  base: string;
  title: string;
  /** The evidence report, as the pull request's body. */
  bodyFile: string;
}

export type PullRequestOutcome = { status: 'opened'; url: string } | { status: 'failed'; reason: string };

const GH_TIMEOUT_MS = 120_000;

/** Push the branch to `origin` and open a pull request onto `base` with `gh`. */
export async function openPullRequest(input: PullRequestInput): Promise<PullRequestOutcome> {
  const push = await runGit(input.worktreePath, ['push', '--set-upstream', 'origin', input.branch], {
    timeoutMs: GH_TIMEOUT_MS,
  });
  if (push.exitCode !== 0) {
    return { status: 'failed', reason: `git push to origin failed: ${lastLines(push.stderr)}` };
  }
  const scratch = await makeScratchDir('gh');
  try {
    const outputPath = join(scratch, 'output');
    const args = ['pr', 'create', '--base', input.base, '--head', input.branch, '--title', input.title];
    const gh = await runProcess({
      command: { file: 'gh', args: [...args, '--body-file', input.bodyFile] },
      cwd: input.worktreePath,
      env: { GH_PROMPT_DISABLED: '1', GIT_TERMINAL_PROMPT: '0' },
      timeoutMs: GH_TIMEOUT_MS,
      outputPath,
    });
    const output = await readFile(outputPath, 'utf8').catch(() => '');
    switch (gh.status) {
      case 'exited': {
        const url = output.match(/https?:\/\/\S+/g)?.at(-1);
        if (gh.exitCode === 0 && url) return { status: 'opened', url };
        return { status: 'failed', reason: `gh pr create exited with ${gh.exitCode}: ${lastLines(output)}` };
      }
      case 'spawn-failed':
        return { status: 'failed', reason: `gh could not start (is the GitHub CLI installed?): ${gh.message}` };
      case 'timed-out':
        return { status: 'failed', reason: `gh pr create timed out after ${gh.durationMs} ms` };
      case 'cancelled':
      case 'signalled':
        return { status: 'failed', reason: `gh pr create was stopped (${gh.status})` };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim() || '(no output)';
}
