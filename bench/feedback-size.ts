// How much smaller the agent's feedback is than the test runner's own output, on a project with
// 2,000 passing and 7 failing node:test tests — and whether it still names every failure exactly.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type ExpectedFailure, type GeneratedProject, generateTestProject } from './generate-test-project.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatMs,
  formatPercent,
  median,
  runAlone,
  runSluice,
  withTempDir,
} from './support.ts';

export const passingTests = 2000;
const runs = 3;
const targetFraction = 0.05;
export const gateName = 'unit';
const reportPath = `.sluice/reports/${gateName}.xml`;

// An explicit timeout: a benchmark must not depend on the default (which zod 4 currently leaves at 600 *ms*).
const sluiceYaml = `gates:
  ${gateName}:
    run: >-
      node --test --test-reporter=spec --test-reporter-destination=stdout
      --test-reporter=junit --test-reporter-destination=${reportPath} 'test/**/*.test.js'
    kind: test
    inputs: ["src/**/*.js", "test/**/*.js"]
    report: { format: junit, path: ${reportPath} }
    timeout: 60s
`;

interface Sizes {
  log: number;
  report: number;
  feedback: number;
  wallMs: number;
}

interface CheckJson {
  verdict: string;
  gates: Array<{ name: string; status: string; counts: { total: number; passed: number; failed: number } | null }>;
}

/** The generated project with its sluice.yaml (one junit-reported `unit` gate), written into `dir`. */
export async function writeFeedbackProject(dir: string): Promise<GeneratedProject> {
  const project = await generateTestProject(dir, passingTests);
  await writeFile(join(dir, 'sluice.yaml'), sluiceYaml);
  return project;
}

export async function benchFeedbackSize(): Promise<BenchReport> {
  return withTempDir('feedback', async (dir) => {
    const project = await writeFeedbackProject(dir);
    const env = childEnv(dir);
    const options = { cwd: dir, env };

    const sizes: Sizes[] = [];
    const feedbacks: string[] = [];
    for (let run = 0; run < runs; run++) {
      const result = await runSluice(['check', '--feedback', '-C', dir], options);
      if (result.exitCode !== 1) {
        throw new Error(
          `sluice check --feedback exited ${result.exitCode ?? result.signal}, expected 1:\n${result.stderr}`,
        );
      }
      const feedback = result.stdout.replace(/\n$/, '');
      feedbacks.push(feedback);
      sizes.push({
        log: (await readFile(join(dir, '.sluice', 'logs', `${gateName}.log`), 'utf8')).length,
        report: (await readFile(join(dir, reportPath), 'utf8')).length,
        feedback: feedback.length,
        wallMs: result.wallMs,
      });
    }
    const json = await runSluice(['check', '--json', '-C', dir], options);
    const gate = (JSON.parse(json.stdout) as CheckJson).gates.find((candidate) => candidate.name === gateName);
    const expectedTotal = project.passing + project.failing.length;

    const log = median(sizes.map((size) => size.log));
    const report = median(sizes.map((size) => size.report));
    const feedbackSize = median(sizes.map((size) => size.feedback));
    const feedback = feedbacks[0] ?? '';
    const fraction = feedbackSize / log;
    const range = (pick: (size: Sizes) => number) => {
      const values = sizes.map(pick);
      const low = Math.min(...values);
      const high = Math.max(...values);
      return low === high ? 'same in every run' : `${formatCount(low)}–${formatCount(high)}`;
    };

    const checks: CheckOutcome[] = [
      {
        check: `the gate fails with ${project.failing.length} of ${expectedTotal} tests failed (--json counts)`,
        ok:
          gate?.status === 'failed' &&
          gate.counts?.failed === project.failing.length &&
          gate.counts.total === expectedTotal,
        detail: `status ${gate?.status}, counts ${JSON.stringify(gate?.counts)}`,
      },
      {
        check: 'the feedback is the same in every run',
        ok: feedbacks.every((text) => text === feedback),
      },
      ...project.failing.map((failure) => verifyNamed(feedback, failure)),
    ];

    return {
      title: `Feedback size: ${formatCount(passingTests)} passing + ${project.failing.length} failing node:test tests`,
      method:
        `${runs} runs of \`sluice check --feedback\` on a generated project (8 test files, node --test with the spec ` +
        'reporter to stdout and the junit reporter to a file); sizes in characters, median of the runs (the raw ' +
        'log varies slightly with the durations it prints); every failing test looked up in the feedback by name, ' +
        'message and file:line.',
      table: {
        headers: ['Output', 'Characters (median)', 'Range over runs', 'vs raw runner output'],
        rows: [
          [
            `raw runner output (.sluice/logs/${gateName}.log, spec reporter)`,
            formatCount(log),
            range((s) => s.log),
            '100%',
          ],
          [`junit report (${reportPath})`, formatCount(report), range((s) => s.report), formatPercent(report / log)],
          ['`sluice check --feedback`', formatCount(feedbackSize), range((s) => s.feedback), formatPercent(fraction)],
        ],
      },
      targets: [
        {
          target: `feedback <= ${formatPercent(targetFraction)} of the raw runner output`,
          measured: `${formatPercent(fraction)} (${(log / feedbackSize).toFixed(0)}x smaller)`,
          met: fraction <= targetFraction,
        },
        {
          target: `names all ${project.failing.length} failing tests with message and file:line`,
          measured: `${checks.slice(2).filter((check) => check.ok).length} of ${project.failing.length}`,
          met: checks.slice(2).every((check) => check.ok),
        },
      ],
      checks,
      notes: [
        "The test files are passed as a glob ('test/**/*.test.js'): Node 22's `node --test test/` runs `test/` as a " +
          'module and fails.',
        `A whole failing check took ${formatMs(median(sizes.map((size) => size.wallMs)))} (median).`,
      ],
      appendix: `<details><summary>The feedback an agent reads (first run)</summary>\n\n\`\`\`text\n${feedback}\n\`\`\`\n\n</details>`,
    };
  });
}

/** Find the failure's entry in the feedback ("- <test> (<file>:<line>)" plus indented lines) and check it. */
function verifyNamed(feedback: string, expected: ExpectedFailure): CheckOutcome {
  const location = `${basename(expected.file)}:${expected.line}`;
  const label = `${expected.kind}: "${expected.test}" at ${location}`;
  const entries = failureEntries(feedback);
  const titleOf = (entry: string) => entry.split('\n')[0] ?? '';
  const problems: string[] = [];
  let entry = entries.find((candidate) => titleOf(candidate).includes(expected.test));
  if (!entry) {
    // Not named as written: look for a garbled version (escaped quotes, say) to show what the agent reads.
    const prefix = expected.test.slice(0, 16);
    entry = entries.find((candidate) => titleOf(candidate).includes(prefix));
    if (!entry) return { check: label, ok: false, detail: 'test not named in the feedback' };
    problems.push(`test not named as written: ${JSON.stringify(titleOf(entry))}`);
  }
  const title = titleOf(entry);
  const locationPattern = new RegExp(`(^|[/( ])${escapeRegExp(location)}(?![0-9])`);
  if (!locationPattern.test(title)) problems.push(`location is not ${location}: ${JSON.stringify(title)}`);
  const missing = expected.messageParts.filter((part) => !entry.includes(part));
  if (missing.length > 0) problems.push(`message lacks ${missing.map((part) => JSON.stringify(part)).join(', ')}`);
  return {
    check: label,
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `message has ${expected.messageParts.map((p) => JSON.stringify(p)).join(', ')}`
        : problems.join('; '),
  };
}

/** The feedback's failure entries: a line starting "- " and the indented lines under it. */
function failureEntries(feedback: string): string[] {
  const entries: string[][] = [];
  let current: string[] | undefined;
  for (const line of feedback.split('\n')) {
    if (line.startsWith('- ')) {
      current = [line];
      entries.push(current);
    } else if (current && line.startsWith('  ')) {
      current.push(line);
    } else {
      current = undefined;
    }
  }
  return entries.map((lines) => lines.join('\n'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

if (import.meta.main) await runAlone(benchFeedbackSize);
