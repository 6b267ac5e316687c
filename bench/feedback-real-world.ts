// The feedback an agent reads on the real-world corpus (test/fixtures/real-world: one small project per runner,
// one seeded bug each): its size against the runner's own output, and whether it names every seeded failure.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CorpusRunner,
  corpusRunners,
  missingProgram,
  prepareCorpusProject,
  readSeeded,
  seededFailureProblems,
} from '../test/support/real-world-corpus.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatPercent,
  runAlone,
  runCommand,
  runSluice,
  withTempDir,
} from './support.ts';

const budget = 4000;

interface RunnerFigures {
  runner: CorpusRunner;
  config: 'init' | 'by hand';
  format: string;
  rawBytes: number;
  rawLines: number;
  reportBytes: number;
  feedbackBytes: number;
  feedbackLines: number;
  named: number;
  seeded: number;
  problems: string[];
  feedback: string;
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

async function measure(runner: CorpusRunner): Promise<RunnerFigures> {
  return withTempDir(`real-world-${runner}`, async (outer) => {
    const dir = join(outer, runner);
    const { hasConfig } = prepareCorpusProject(runner, dir);
    const options = { cwd: dir, env: childEnv(outer), timeoutMs: 300_000 };
    if (!hasConfig) {
      const init = await runSluice(['init'], options);
      if (init.exitCode !== 0) throw new Error(`sluice init failed in the ${runner} project:\n${init.stderr}`);
    }
    const check = await runSluice(['check', '--feedback'], options);
    const feedback = check.stdout.trimEnd();
    const config = await readFile(join(dir, 'sluice.yaml'), 'utf8');
    // The raw output is the runner's own command with its default reporter, as a user or a naive loop reads it.
    const { rawCommand } = readSeeded(runner);
    const rawRun = await runCommand('/bin/sh', ['-c', `${rawCommand} 2>&1`], options);
    const raw = rawRun.stdout;
    const reports = await readdir(join(dir, '.sluice', 'reports')).catch(() => []);
    const reportSizes = await Promise.all(
      reports.map(async (name) => (await stat(join(dir, '.sluice/reports', name))).size),
    );
    const seeded = readSeeded(runner).failures;
    const problems = seeded.flatMap((failure) => seededFailureProblems(feedback, failure));
    const unnamed = new Set(problems.filter((problem) => problem.endsWith('is not named')));
    return {
      runner,
      config: hasConfig ? 'by hand' : 'init',
      format: [...config.matchAll(/format: ([\w-]+)/g)].map((match) => match[1]).join(', '),
      rawBytes: Buffer.byteLength(raw),
      rawLines: lineCount(raw),
      reportBytes: reportSizes.reduce((sum, size) => sum + size, 0),
      feedbackBytes: Buffer.byteLength(feedback),
      feedbackLines: lineCount(feedback),
      named: seeded.length - unnamed.size,
      seeded: seeded.length,
      problems,
      feedback,
    };
  });
}

export async function benchFeedbackRealWorld(): Promise<BenchReport> {
  const figures: RunnerFigures[] = [];
  const skipped: string[] = [];
  for (const runner of corpusRunners) {
    const missing = missingProgram(runner);
    if (missing !== undefined) skipped.push(`${runner}: not measured, ${missing} is not on PATH`);
    else figures.push(await measure(runner));
  }
  const seededTotal = figures.reduce((sum, entry) => sum + entry.seeded, 0);
  const namedTotal = figures.reduce((sum, entry) => sum + entry.named, 0);
  const exact = figures.filter((entry) => entry.problems.length === 0).length;
  const largest = Math.max(...figures.map((entry) => entry.feedbackBytes));
  const checks: CheckOutcome[] = figures.map((entry) => ({
    check: `${entry.runner}: every seeded failure named with file:line and expected/received`,
    ok: entry.problems.length === 0,
    ...(entry.problems.length > 0 ? { detail: entry.problems.join('; ') } : {}),
  }));
  return {
    title: 'Feedback on the real-world corpus: one seeded bug per runner',
    method:
      'each project of test/fixtures/real-world copied into a temp git repository (JS runners linked from ' +
      "Sluice's devDependencies), `sluice init` (unless the project ships its sluice.yaml), then " +
      '`sluice check --feedback` once; raw output = the runner run bare with its default reporter (`npx vitest run`, ' +
      '`npx jest`, `npx ava`, `npx mocha`, `node --test`, `python3 -m pytest`, `go test ./...`, `cargo test`), ' +
      'report = the files under .sluice/reports; sizes in bytes. Named = the seeded test appears in a feedback ' +
      'entry; exact = also at the seeded file:line with the seeded expected/received values.',
    table: {
      headers: ['Runner', 'sluice.yaml', 'Report read', 'Raw output', 'Report file', 'Feedback', 'vs raw', 'Named'],
      rows: figures.map((entry) => [
        entry.runner,
        entry.config,
        entry.format,
        `${formatCount(entry.rawBytes)} B, ${entry.rawLines} lines`,
        entry.reportBytes > 0 ? `${formatCount(entry.reportBytes)} B` : '-',
        `${formatCount(entry.feedbackBytes)} B, ${entry.feedbackLines} lines`,
        entry.rawBytes > 0 ? formatPercent(entry.feedbackBytes / entry.rawBytes) : '-',
        `${entry.named} of ${entry.seeded}${entry.problems.length > 0 ? ' (not exact)' : ''}`,
      ]),
    },
    targets: [
      {
        target: 'every seeded failure named, with file:line and expected/received',
        measured: `${namedTotal} of ${seededTotal} named; ${exact} of ${figures.length} runners exact`,
        met: namedTotal === seededTotal && exact === figures.length,
      },
      {
        target: `feedback within the default budget (${formatCount(budget)} characters)`,
        measured: `largest ${formatCount(largest)} B`,
        met: largest <= budget,
      },
    ],
    checks,
    notes: [
      ...skipped,
      'The projects are small (2-6 tests), so the raw output is small too: the ratio says more on big suites ' +
        '(see "Feedback size" above); here what counts is that every failure is named exactly.',
      "`go test`'s own output is terser than the feedback (no headline, no gate header, no log path): there " +
        'the feedback adds the expected/received line and the verdict, not bulk.',
    ],
    appendix: `<details><summary>The feedback per runner</summary>\n\n${figures
      .map((entry) => `${entry.runner}:\n\n\`\`\`text\n${entry.feedback}\n\`\`\``)
      .join('\n\n')}\n\n</details>`,
  };
}

if (import.meta.main) await runAlone(benchFeedbackRealWorld);
