// The workflow engine's own cost per step: `sluice workflow run` over a chain of code-led steps
// (each `run: true`, each needing the one before), against the same steps in a plain shell script.
// Every step's start and result are committed to the store before the next acts; that, the
// contained spawn and Sluice's start are what the difference is made of.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  mustRun,
  runAlone,
  runCommand,
  runSluice,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const stepCounts = [1, 20];
const rounds = 5;
const warmups = 1;
/** What "cheap orchestration" means here: each step costs less than this beyond the shell's. */
const targetPerStepMs = 100;

function workflowYaml(steps: number): string {
  const lines = ['steps:'];
  for (let index = 0; index < steps; index++) {
    lines.push(`  s${index}:`, '    run: "true"');
    if (index > 0) lines.push(`    needs: [s${index - 1}]`);
  }
  return `${lines.join('\n')}\n`;
}

export async function benchWorkflowOverhead(): Promise<BenchReport> {
  return withTempDir('workflow-overhead', async (dir) => {
    const env = childEnv(dir);
    const repo = join(dir, 'repo');
    await mkdir(join(repo, '.sluice', 'workflows'), { recursive: true });
    await writeFile(join(repo, 'sluice.yaml'), 'gates:\n  noop: { run: "true" }\n');
    for (const steps of stepCounts) {
      await writeFile(join(repo, '.sluice', 'workflows', `chain${steps}.yaml`), workflowYaml(steps));
      await writeFile(join(repo, `chain${steps}.sh`), `${'sh -c true\n'.repeat(steps)}`);
    }
    await mustRun('git', ['init', '-q', '-b', 'main'], { cwd: repo, env });
    await mustRun('git', ['add', '-A'], { cwd: repo, env });
    await mustRun('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'], {
      cwd: repo,
      env,
    });
    const checks: CheckOutcome[] = [];
    const failures: string[] = [];
    const variants = stepCounts.flatMap((steps) => [
      {
        label: `sluice workflow run chain${steps} (${steps} step${steps === 1 ? '' : 's'})`,
        run: async () => {
          const result = await runSluice(['workflow', 'run', `chain${steps}`], { cwd: repo, env, timeoutMs: 120_000 });
          if (result.exitCode !== 0) failures.push(`chain${steps}: exit ${result.exitCode}: ${result.stderr.trim()}`);
          return result.wallMs;
        },
      },
      {
        label: `sh chain${steps}.sh (${steps} × sh -c true)`,
        run: async () => (await runCommand('sh', [`chain${steps}.sh`], { cwd: repo, env })).wallMs,
      },
    ]);
    const timings = await timeInterleaved(variants, { rounds, warmups });
    checks.push({
      check: 'every workflow run succeeded',
      ok: failures.length === 0,
      ...(failures.length > 0 ? { detail: failures.slice(0, 3).join('; ') } : {}),
    });
    const byLabel = (prefix: string) => timings.find((timing) => timing.label.startsWith(prefix));
    const one = byLabel('sluice workflow run chain1 ');
    const many = byLabel(`sluice workflow run chain${stepCounts.at(-1)} `);
    const shellOne = byLabel('sh chain1.sh');
    const shellMany = byLabel(`sh chain${stepCounts.at(-1)}.sh`);
    const extraSteps = (stepCounts.at(-1) ?? 1) - 1;
    const perStep = one && many ? (many.medianMs - one.medianMs) / extraSteps : Number.NaN;
    const shellPerStep = shellOne && shellMany ? (shellMany.medianMs - shellOne.medianMs) / extraSteps : Number.NaN;
    const fixed = one && shellOne ? one.medianMs - shellOne.medianMs : Number.NaN;
    return {
      title: 'Workflow orchestration: a chain of code-led steps, against a shell script',
      table: {
        headers: ['Runner', 'Wall time, median (min–max)'],
        rows: timings.map((timing) => [timing.label, formatTiming(timing)]),
      },
      targets: [
        {
          target: `Sluice's cost per step (store commits, contained spawn) < ${targetPerStepMs} ms`,
          measured: `${formatMs(perStep)} per step (shell: ${formatMs(shellPerStep)}; ${formatRatio(perStep / Math.max(shellPerStep, 0.1))})`,
          met: perStep < targetPerStepMs,
        },
      ],
      checks,
      notes: [
        `Per step: (chain${stepCounts.at(-1)} − chain1) / ${extraSteps}, medians. Fixed cost of a workflow run (start, store, first step) beyond the shell's: ${formatMs(fixed)}.`,
        'Each Sluice step commits its start and its result to SQLite before the next step acts (kill -9 at any moment resumes at the running step), and runs in a PID namespace like a gate.',
      ],
      method: `${rounds} timed rounds after ${warmups} warm-up, the variants interleaved in each round; wall time of the whole child process (spawn to exit). The token cost of \`sluice plan\` against one long agent session is not measured here.`,
    };
  });
}

if (import.meta.main) await runAlone(benchWorkflowOverhead);
