import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findConfigFile } from '../../config/find-config-file.ts';
import { UsageError } from '../../errors.ts';
import { type ChangedPath, changedPaths } from '../../guard/changed-files.ts';
import type { Finding } from '../../guard/finding.ts';
import { hasBlockingFinding, runGuard } from '../../guard/run-guard.ts';
import type { WorktreeRun } from '../../loop/run-of-worktree.ts';
import { resolveCommit } from '../../workspace/refs.ts';
import { nearestGitFolder, probeWorktree } from '../../workspace/worktree-probe.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';

const severityNotes: Record<Finding['severity'], string> = {
  block: '',
  revert: ' (revert: a run restores it from the base)',
  ask: ' (ask: a human decides)',
  warn: ' (warning)',
};

/** `sluice guard`: flags -> runGuard -> findings -> exit code. */
export const command = declareCommand({
  name: 'guard',
  description: `Check the change from a base ref to the working tree (uncommitted and untracked files included) for
weakened tests and protected files: deleted, moved-away or skipped tests, removed, weakened or
unreachable assertions, stubs over the code under test, weakened test helpers, changed expected
values and snapshots, runner config that filters tests, code the runner loads, linters and type
checks silenced in the code or loosened in their config, code that notices it is under test or
ends the test run, changes to sluice.yaml or CI config.
JS/TS, Python, Go and Rust; the README lists every rule.`,
  flags: {
    dir: { type: 'string', alias: 'C', placeholder: 'path', description: 'Run as if started in <path>' },
    base: {
      type: 'string',
      placeholder: 'ref',
      description:
        "Compare against this ref (default: the run's base in a run's worktree, else HEAD, i.e. the uncommitted work)",
    },
    json: { type: 'boolean', description: 'Print machine-readable findings only' },
  },
  notes: `The rules' policies (block, revert, ask, warn, off) and the protected globs come from "guard:" in
sluice.yaml as committed at the base.
Exit: 0 no blocking finding, 1 a blocking finding, 2 usage error.`,
  async run(values) {
    const startDir = resolve(values.dir ?? '.');
    if (!existsSync(startDir)) throw new UsageError(`no such folder: ${startDir}`);
    const configPath = findConfigFile(startDir);
    const { repoRoot, base, baseCommit, runBase, paths } =
      (await targetAskedAtOnce(startDir, values.base, configPath)) ??
      (await targetAskedInTurn(startDir, values.base, configPath));
    // Read only when something changed: sluice.yaml at the base costs a git call and the config's reader.
    const config = async () => {
      const { guardConfigAt } = await import('../../guard/guard-config-at.ts');
      return guardConfigAt(repoRoot, baseCommit, configPath);
    };
    const result = await runGuard({ repoRoot, base, baseCommit, config, ...(paths ? { paths } : {}) });
    const baseLabel = runBase ? `the base of run ${runBase.runId} (${runBase.baseRef})` : result.base;
    const blocked = hasBlockingFinding(result.findings);
    if (values.json) {
      writeOut(
        JSON.stringify(
          {
            verdict: blocked ? 'blocked' : 'passed',
            base: result.base,
            base_commit: result.baseCommit,
            ...(runBase ? { run: runBase.runId } : {}),
            findings: result.findings,
          },
          null,
          2,
        ),
      );
    } else if (result.findings.length === 0) {
      writeOut(`guard: no weakened tests or protected files changed since ${baseLabel}`);
    } else {
      for (const finding of result.findings) {
        writeOut(
          `${finding.path}:${finding.line} ${finding.rule}${severityNotes[finding.severity]}: ${finding.message}`,
        );
      }
    }
    return blocked ? 1 : 0;
  },
});

export const run = command.run;

/** What the guard measures from; with what changed since, when that was listed already. */
interface GuardTarget {
  repoRoot: string;
  base: string;
  baseCommit: string;
  /** The run whose worktree this is, when its base is the one measured from. */
  runBase: WorktreeRun | undefined;
  paths?: ChangedPath[];
}

/**
 * The usual case (a hook, nothing changed) in one round of git calls at the same time: one rev-parse for
 * the top folder, the branch and the base's commit, while diff-index (given the ref as typed) and ls-files
 * list the change from the folder that holds `.git`. That list is kept only when the folder is the top
 * rev-parse names. Undefined when rev-parse has no plain answer (no repository, no commit yet, a bad ref):
 * `targetAskedInTurn` then asks as before, for its errors.
 */
async function targetAskedAtOnce(
  startDir: string,
  baseFlag: string | undefined,
  configPath: string | undefined,
): Promise<GuardTarget | undefined> {
  const requested = baseFlag ?? 'HEAD';
  // A ref starting with '-' would be an option of diff-index; probeWorktree refuses it too.
  const guessedTop = requested === '' || requested.startsWith('-') ? undefined : nearestGitFolder(startDir);
  const [probe, listed] = await Promise.all([
    probeWorktree(startDir, requested),
    guessedTop === undefined ? undefined : changedPaths(guessedTop, requested).catch(() => undefined),
  ]);
  if (!probe) return undefined;
  const repoRoot = probe.top;
  // Only a `sluice/<id>` branch can be a run's worktree; the run's store is opened only then.
  if (baseFlag === undefined && configPath && probe.branch?.startsWith('sluice/')) {
    const { runOfWorktree } = await import('../../loop/run-of-worktree.ts');
    const runBase = await runOfWorktree(repoRoot, configPath, { branch: probe.branch });
    if (runBase) {
      const baseCommit = await resolveCommit(repoRoot, runBase.baseCommit);
      return { repoRoot, base: runBase.baseCommit, baseCommit, runBase };
    }
  }
  const paths = listed && guessedTop === repoRoot ? { paths: listed } : {};
  return { repoRoot, base: requested, baseCommit: probe.commit, runBase: undefined, ...paths };
}

/** The repository, the run and the base asked one after the other, so each failure gets its own message. */
async function targetAskedInTurn(
  startDir: string,
  baseFlag: string | undefined,
  configPath: string | undefined,
): Promise<GuardTarget> {
  const [{ repoRootOf }, { runOfWorktree }] = await Promise.all([
    import('../../workspace/repo-root.ts'),
    import('../../loop/run-of-worktree.ts'),
  ]);
  // Without a run to ask (no sluice.yaml, or --base given) the base is known already: resolve it alongside
  // the repository root. A failure is left to the resolve below, for its message.
  const knownBase = baseFlag ?? (configPath ? undefined : 'HEAD');
  const [repoRoot, knownCommit] = await Promise.all([
    repoRootOf(startDir),
    knownBase === undefined ? undefined : resolveCommit(startDir, knownBase).catch(() => undefined),
  ]);
  const runBase = baseFlag || !configPath ? undefined : await runOfWorktree(repoRoot, configPath);
  const base = baseFlag ?? runBase?.baseCommit ?? 'HEAD';
  const baseCommit = knownCommit ?? (await resolveCommit(repoRoot, base));
  return { repoRoot, base, baseCommit, runBase };
}
