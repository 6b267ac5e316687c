import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from '../process/run-process.ts';
import { makeScratchDir } from '../process/scratch-dir.ts';
import { StepError } from './step-error.ts';

// What a pull_request step asks GitHub, through the `gh` CLI (its auth, its host, its repo detection).

const GH_TIMEOUT_MS = 120_000;

/** A pull request as `gh pr view --json` shows it. */
export interface PullRequestView {
  number: number;
  url: string;
  state: string;
  /** MERGEABLE, CONFLICTING or UNKNOWN (GitHub is still computing it). */
  mergeable: string;
  /** CLEAN, BEHIND, DIRTY, BLOCKED, UNSTABLE, UNKNOWN... */
  mergeStateStatus: string;
  reviewDecision: string;
  reviews: Array<{ author?: { login?: string }; state?: string }>;
}

/** One required check: `bucket` is pass, fail, pending, skipping or cancel. */
export interface CheckView {
  name: string;
  bucket: string;
}

/** A review comment (`gh api repos/{owner}/{repo}/pulls/N/comments`). */
export interface ReviewComment {
  id: number;
  body: string;
  path?: string;
  line?: number;
  user?: { login?: string };
}

type GhResult = { exitCode: number; stdout: string; output: string };

async function gh(args: string[], cwd: string, signal: AbortSignal): Promise<GhResult> {
  const scratch = await makeScratchDir('gh');
  try {
    let stdout = '';
    const outputPath = join(scratch, 'output');
    const result = await runProcess({
      command: { file: 'gh', args },
      cwd,
      env: { GH_PROMPT_DISABLED: '1', GIT_TERMINAL_PROMPT: '0', NO_COLOR: '1' },
      timeoutMs: GH_TIMEOUT_MS,
      outputPath,
      signal,
      onStdoutLine: (line) => {
        stdout += `${line}\n`;
      },
    });
    const output = await readFile(outputPath, 'utf8').catch(() => '');
    if (result.status === 'spawn-failed') {
      throw new StepError(`gh could not start (is the GitHub CLI installed?): ${result.message}`);
    }
    if (result.status !== 'exited') throw new StepError(`gh ${args.slice(0, 2).join(' ')} ${result.status}`);
    return { exitCode: result.exitCode, stdout, output };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim() || '(no output)';
}

function parsed<T>(result: GhResult, what: string): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new StepError(`${what}: gh printed no JSON: ${lastLines(result.output)}`);
  }
}

const viewFields = 'number,url,state,mergeable,mergeStateStatus,reviewDecision,reviews';

/** The open pull request of `branch`, or undefined when there is none. */
export async function viewPullRequest(
  cwd: string,
  branch: string,
  signal: AbortSignal,
): Promise<PullRequestView | undefined> {
  const result = await gh(['pr', 'view', branch, '--json', viewFields], cwd, signal);
  if (result.exitCode !== 0) {
    if (/no (open )?pull requests? found/i.test(result.output)) return undefined;
    throw new StepError(`gh pr view exited with ${result.exitCode}: ${lastLines(result.output)}`);
  }
  return parsed<PullRequestView>(result, 'gh pr view');
}

export async function createPullRequest(
  cwd: string,
  input: { branch: string; base: string; title: string; body: string },
  signal: AbortSignal,
): Promise<void> {
  const args = ['pr', 'create', '--base', input.base, '--head', input.branch, '--title', input.title];
  const result = await gh([...args, '--body', input.body], cwd, signal);
  if (result.exitCode !== 0) {
    throw new StepError(`gh pr create exited with ${result.exitCode}: ${lastLines(result.output)}`);
  }
}

/** The required checks; none yet is an empty list (gh exits 1 with "no checks reported"). */
export async function requiredChecks(cwd: string, number: number, signal: AbortSignal): Promise<CheckView[]> {
  const result = await gh(['pr', 'checks', String(number), '--required', '--json', 'name,bucket'], cwd, signal);
  if (/no (required )?checks reported/i.test(result.output)) return [];
  // gh exits 8 while checks are pending and 1 when one failed; the JSON is printed either way.
  if (result.stdout.trim() === '') {
    throw new StepError(`gh pr checks exited with ${result.exitCode}: ${lastLines(result.output)}`);
  }
  return parsed<CheckView[]>(result, 'gh pr checks');
}

export async function reviewComments(cwd: string, number: number, signal: AbortSignal): Promise<ReviewComment[]> {
  const result = await gh(['api', `repos/{owner}/{repo}/pulls/${number}/comments`], cwd, signal);
  if (result.exitCode !== 0) {
    throw new StepError(`gh api .../comments exited with ${result.exitCode}: ${lastLines(result.output)}`);
  }
  return parsed<ReviewComment[]>(result, 'gh api .../comments');
}
