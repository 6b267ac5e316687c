import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { UsageError } from '../../errors.ts';
import type { Finding } from '../../guard/finding.ts';
import { guardConfigAt } from '../../guard/guard-config-at.ts';
import { hasBlockingFinding, runGuard } from '../../guard/run-guard.ts';
import { runOfWorktree } from '../../loop/run-of-worktree.ts';
import { resolveCommit } from '../../workspace/refs.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
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
weakened tests and protected files: deleted test files or cases, new skip/only/xfail markers,
removed assertions, changed expected values, runner config that filters tests, rewritten
snapshots, changes to sluice.yaml or CI config. JS/TS, Python, Go and Rust.`,
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
    // Without a run to ask (no sluice.yaml, or --base given) the base is known already: resolve it alongside
    // the repository root, one git round trip fewer. A failure is left to the resolve below, for its message.
    const knownBase = values.base ?? (configPath ? undefined : 'HEAD');
    const [repoRoot, knownCommit] = await Promise.all([
      repoRootOf(startDir),
      knownBase === undefined ? undefined : resolveCommit(startDir, knownBase).catch(() => undefined),
    ]);
    const runBase = values.base || !configPath ? undefined : await runOfWorktree(repoRoot, configPath);
    const base = values.base ?? runBase?.baseCommit ?? 'HEAD';
    const baseCommit = knownCommit ?? (await resolveCommit(repoRoot, base));
    const config = () => guardConfigAt(repoRoot, baseCommit, configPath);
    const result = await runGuard({ repoRoot, base, baseCommit, config });
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
