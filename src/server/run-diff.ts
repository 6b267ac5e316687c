import type { IterationRecord, RunRecord } from '../store/run-records.ts';
import { diffStats } from '../workspace/diff-stats.ts';
import { runGitChecked } from '../workspace/git.ts';
import { resolveCommit } from '../workspace/refs.ts';
import type { DiffResponse } from './api-types.ts';
import { HttpError } from './http-error.ts';

/** A patch bigger than this is cut: a browser cannot show it usefully anyway. */
export const maxPatchBytes = 2 * 1024 * 1024;

/**
 * The commits an iteration's diff spans: from the last commit before it (or the run's base) to its own.
 * Only commits the store recorded reach git, never anything a request names.
 */
export function iterationRange(
  run: RunRecord,
  iterations: readonly IterationRecord[],
  number: number,
): { from: string; to: string } {
  const iteration = iterations.find((entry) => entry.number === number);
  if (!iteration) throw new HttpError(404, 'NOT_FOUND', `run ${run.id} has no iteration ${number}`);
  const before = iterations.filter((entry) => entry.number < number && entry.commitSha).at(-1);
  const from = before?.commitSha ?? run.baseCommit;
  return { from, to: iteration.commitSha ?? from };
}

/** Where the whole change ends: the branch tip while the branch exists, else the last recorded commit. */
export async function changeHead(run: RunRecord, iterations: readonly IterationRecord[]): Promise<string> {
  try {
    return await resolveCommit(run.repoRoot, `refs/heads/${run.branch}`);
  } catch {
    return iterations.filter((entry) => entry.commitSha).at(-1)?.commitSha ?? run.baseCommit;
  }
}

/** File stats and the unified patch between two commits of the run's repository. */
export async function diffBetween(
  run: RunRecord,
  range: { from: string; to: string },
  iteration: number | null,
): Promise<DiffResponse> {
  if (range.from === range.to) {
    return { runId: run.id, iteration, from: range.from, to: range.to, files: [], patch: '', truncated: false };
  }
  const { stats, patch } = await gitDiff(run.repoRoot, range);
  const truncated = Buffer.byteLength(patch) > maxPatchBytes;
  return {
    runId: run.id,
    iteration,
    from: range.from,
    to: range.to,
    files: stats.files.map((file) => ({
      path: file.path,
      oldPath: file.oldPath ?? null,
      status: file.status,
      insertions: file.insertions,
      deletions: file.deletions,
      binary: file.binary,
    })),
    patch: truncated ? Buffer.from(patch).subarray(0, maxPatchBytes).toString() : patch,
    truncated,
  };
}

type GitDiff = { stats: Awaited<ReturnType<typeof diffStats>>; patch: string };

/** Diffs already read, by repository and commit pair: two commits always differ the same way. */
const diffs = new Map<string, Promise<GitDiff>>();
const diffBytes = new Map<string, number>();
let cachedBytes = 0;
/** What the cache may hold in patches before the oldest entries go. */
const maxCachedBytes = 64 * 1024 * 1024;

function gitDiff(repoRoot: string, range: { from: string; to: string }): Promise<GitDiff> {
  const key = `${repoRoot}\u0000${range.from}..${range.to}`;
  const cached = diffs.get(key);
  if (cached) return cached;
  const reading = Promise.all([
    diffStats(repoRoot, range.from, range.to),
    // Plumbing: the user's diff drivers, textconv and colour settings do not run here.
    runGitChecked(repoRoot, ['diff-tree', '-p', '-M', '--no-color', '--full-index', range.from, range.to]),
  ]).then(([stats, patch]) => ({ stats, patch }));
  diffs.set(key, reading);
  reading.then(
    ({ patch }) => remember(key, Buffer.byteLength(patch)),
    () => diffs.delete(key), // a commit not there yet (or gone) is asked again next time
  );
  return reading;
}

function remember(key: string, bytes: number): void {
  if (!diffs.has(key)) return;
  diffBytes.set(key, bytes);
  cachedBytes += bytes;
  for (const [oldest] of diffs) {
    if (cachedBytes <= maxCachedBytes || oldest === key) break;
    cachedBytes -= diffBytes.get(oldest) ?? 0;
    diffBytes.delete(oldest);
    diffs.delete(oldest);
  }
}
