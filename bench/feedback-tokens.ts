// Tokens an agent reads per iteration: Sluice's prompt (goal + compact feedback) against a naive loop
// that feeds the gate's raw output back, on the 2,000-passing/7-failing project of feedback-size.ts.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPrompt } from '../src/loop/build-prompt.ts';
import { gateName, passingTests, writeFeedbackProject } from './feedback-size.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatPercent,
  formatRatio,
  mustRun,
  runAlone,
  runSluice,
  withTempDir,
} from './support.ts';

const goal = 'Fix the failing tests in test/ by changing src/shop.js; keep every passing test passing.';
const iterations = 2;
/** Rough tokens: characters / 4 (no tokenizer is installed, and none is added for a benchmark). */
const charsPerToken = 4;
const estimateTokens = (text: string) => Math.round(text.length / charsPerToken);

interface ShowJson {
  run: { status: string; reason?: string };
  iterations: Array<{ number: number; promptChars: number; checkVerdict?: string; feedback?: string }>;
  gates: Array<{ iteration: number; name: string; status: string; counts: { failed: number; total: number } | null }>;
}

export async function benchFeedbackTokens(): Promise<BenchReport> {
  return withTempDir('tokens', async (dir) => {
    // The run's worktree goes beside the repository (<dir>/.sluice-worktrees), so inside the temp dir too.
    const repo = join(dir, 'repo');
    const promptsDir = join(dir, 'prompts');
    const env = childEnv(dir);
    const project = await writeFeedbackProject(repo);
    await mkdir(promptsDir);
    const git = (args: string[]) => mustRun('git', args, { cwd: repo, env });
    await git(['init', '--quiet']);
    await git(['config', 'user.name', 'Sluice bench']);
    await git(['config', 'user.email', 'bench@localhost']);
    await git(['config', 'commit.gpgsign', 'false']);
    await git(['add', '-A']);
    await git(['commit', '--quiet', '-m', 'bench: generated project']);

    // What `sluice check` gives: the gate's raw log and the compact feedback.
    const check = await runSluice(['check', '--feedback', '-C', repo], { cwd: repo, env });
    if (check.exitCode !== 1) {
      throw new Error(`sluice check --feedback exited ${check.exitCode ?? check.signal}, expected 1:\n${check.stderr}`);
    }
    const feedback = check.stdout.replace(/\n$/, '');
    const rawLog = await readFile(join(repo, '.sluice', 'logs', `${gateName}.log`), 'utf8');

    // What `sluice run` sends: an agent that only saves the prompt it reads on stdin (outside the worktree).
    const agentCommand = `cat > '${promptsDir}'/prompt-$(date +%s%N).md`;
    const run = await runSluice(
      [
        'run',
        goal,
        '-C',
        repo,
        '--agent',
        'command',
        '--agent-command',
        agentCommand,
        '--prompt-via',
        'stdin',
        '--max-iterations',
        String(iterations),
      ],
      { cwd: repo, env, timeoutMs: 180_000 },
    );
    const runId = /^run (\S+) on branch/m.exec(run.stdout)?.[1];
    if (!runId) throw new Error(`sluice run printed no run id (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    const shown = await runSluice(['show', runId, '--json', '-C', repo], { cwd: repo, env });
    const stored = JSON.parse(shown.stdout) as ShowJson;
    const promptFiles = (await readdir(promptsDir)).sort();
    const prompts = await Promise.all(promptFiles.map((file) => readFile(join(promptsDir, file), 'utf8')));
    const [firstPrompt = '', secondPrompt = ''] = prompts;
    const storedFeedback = stored.iterations[0]?.feedback ?? '';

    // The prompt Sluice builds for iteration 2, and the naive loop's: the same prompt with the raw log instead.
    const sluicePrompt = buildPrompt({ goal, acceptance: [], iteration: 2, feedback });
    const naivePrompt = buildPrompt({ goal, acceptance: [], iteration: 2, feedback: rawLog });
    const goalOnlyPrompt = buildPrompt({ goal, acceptance: [], iteration: 1 });

    const failedGates = stored.gates.filter(
      (gate) => gate.name === gateName && gate.status === 'failed' && gate.counts?.failed === project.failing.length,
    );
    const checks: CheckOutcome[] = [
      {
        check: `sluice run ended budget-exhausted after ${iterations} iterations, each check failing ${project.failing.length} tests`,
        ok:
          run.exitCode === 1 &&
          stored.run.status === 'budget-exhausted' &&
          stored.iterations.length === iterations &&
          failedGates.length === iterations,
        detail: `exit ${run.exitCode}, ${stored.run.status} (${stored.run.reason}), ${failedGates.length} failed checks`,
      },
      {
        check: 'the feedback stored for iteration 1 is what `sluice check --feedback` prints',
        ok: storedFeedback.trim() === feedback.trim(),
        detail: `${formatCount(storedFeedback.length)} vs ${formatCount(feedback.length)} characters`,
      },
      {
        check: `the agent read ${iterations} prompts on stdin, of the lengths the store recorded`,
        ok:
          prompts.length === iterations &&
          prompts.every((prompt, index) => prompt.length === stored.iterations[index]?.promptChars),
        detail: `read ${prompts.map((prompt) => prompt.length).join(', ')}; stored ${stored.iterations.map((iteration) => iteration.promptChars).join(', ')}`,
      },
      {
        check: "iteration 1's prompt is buildPrompt(goal); iteration 2's is buildPrompt(goal, feedback of iteration 1)",
        ok: firstPrompt === goalOnlyPrompt && secondPrompt === sluicePrompt,
        detail: `iteration 1 ${firstPrompt === goalOnlyPrompt ? 'same' : 'differs'}, iteration 2 ${secondPrompt === sluicePrompt ? 'same' : 'differs'}`,
      },
    ];

    const rawTokens = estimateTokens(rawLog);
    const naiveTokens = estimateTokens(naivePrompt);
    const row = (label: string, text: string) => [
      label,
      formatCount(text.length),
      formatCount(estimateTokens(text)),
      formatPercent(estimateTokens(text) / rawTokens),
      formatPercent(estimateTokens(text) / naiveTokens),
    ];
    const sluiceTokens = estimateTokens(sluicePrompt);
    const tenIterations = (perIteration: number) => estimateTokens(goalOnlyPrompt) + 9 * perIteration;
    return {
      title: `Feedback tokens per iteration: ${formatCount(passingTests)} passing + ${project.failing.length} failing tests, Sluice vs a naive loop`,
      method:
        'One `sluice check --feedback` (raw gate log and compact feedback) and one `sluice run --agent command ' +
        `--prompt-via stdin --max-iterations ${iterations}\` whose agent only saves the prompt it reads, on the project ` +
        'bench/feedback-size.ts generates. The naive loop is the same prompt (src/loop/build-prompt.ts) with the ' +
        "gate's raw output in place of the compact feedback, as a loop that pipes the test output back would send. " +
        `**Tokens are an estimate: characters / ${charsPerToken}** (no tokenizer is installed), not a model's count; ` +
        'the ratios matter more than the absolute numbers.',
      table: {
        headers: ['What the agent reads', 'Characters', 'Tokens (chars / 4)', 'vs raw output', 'vs naive prompt'],
        rows: [
          row(`raw runner output (.sluice/logs/${gateName}.log)`, rawLog),
          row('`sluice check --feedback`', feedback),
          row('iteration 1 prompt (goal, no feedback yet)', goalOnlyPrompt),
          row('iteration 2 prompt Sluice sends (goal + feedback)', sluicePrompt),
          row('iteration 2 prompt of a naive loop (goal + raw output)', naivePrompt),
        ],
      },
      targets: [],
      checks,
      notes: [
        `Per iteration after the first, Sluice's prompt is ${formatCount(sluiceTokens)} tokens against ` +
          `${formatCount(naiveTokens)} for the naive loop: ${formatPercent(sluiceTokens / naiveTokens)} ` +
          `(${formatRatio(naiveTokens / sluiceTokens)} fewer); the feedback alone is ` +
          `${formatPercent(estimateTokens(feedback) / rawTokens)} of the raw output.`,
        `Over 10 iterations that all fail like this: ${formatCount(tenIterations(sluiceTokens))} prompt tokens with ` +
          `Sluice, ${formatCount(tenIterations(naiveTokens))} with the naive loop (input tokens only; an agent's ` +
          'own reading of files and tool output comes on top of both).',
      ],
      appendix: `<details><summary>The prompt Sluice sent for iteration 2</summary>\n\n\`\`\`markdown\n${secondPrompt.trimEnd()}\n\`\`\`\n\n</details>`,
    };
  });
}

if (import.meta.main) await runAlone(benchFeedbackTokens);
