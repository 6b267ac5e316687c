import type { CheckResult } from '../gates/gate-results.ts';
import type { Finding } from '../guard/finding.ts';
import { formatUsageLine } from '../usage/format-usage.ts';
import type { ModelUsage } from '../usage/model-usage.ts';
import { type GymEvidence, renderBenchmarkSection, renderGymSection } from './evidence-gym.ts';

export interface DiffSummary {
  filesChanged: number;
  insertions: number;
  deletions: number;
}

/** Everything the evidence of one run is made from. */
export interface EvidenceInput {
  run: {
    id: string;
    goal: string;
    verdict: string;
    reason?: string;
    agent: string;
    model?: string;
    baseRef: string;
    baseCommit: string;
    branch: string;
    startedAt: string;
    finishedAt: string;
  };
  iterations: Array<{
    number: number;
    agentStatus: string;
    checkVerdict?: string;
    commitSha?: string;
    diff: DiffSummary;
    durationMs: number;
  }>;
  /** The check of the final tree: the gates that decided the verdict. */
  finalCheck?: CheckResult;
  totalDiff: DiffSummary;
  usage: ModelUsage[];
  /** The test guard: findings on the final tree, and what Sluice restored during the run. */
  guard?: { findings: Finding[]; reverted: Finding[] };
  /** `sluice gym`: the goals' progress, the best iteration, the charts. */
  gym?: GymEvidence;
  /** How the verdict was reached: where the gates ran, what contained the processes, what sandboxed the agent. */
  judging?: JudgingEvidence;
}

export interface JudgingEvidence {
  /** Where the gates ran (the judge checkout) and how its dependencies were made. */
  checkout: string;
  /** What made sure no process of the agent's (or a gate's) outlived its turn. */
  containment: string;
  /** Which sandbox confined the agent's writes, or that none did. */
  sandbox: string;
  /** What the agent changed outside its worktree and Sluice put back. */
  repository: string[];
}

const guardHeadings: Record<string, string> = {
  ask: 'Needs your decision',
  block: 'Blocking',
  warn: 'Warnings',
};

/** The evidence a reviewer reads with the change: Markdown. */
export function renderEvidenceMarkdown(input: EvidenceInput): string {
  const { run } = input;
  const lines = [
    `# Sluice run ${run.id}: ${run.verdict}`,
    '',
    `**Goal:** ${run.goal}`,
    '',
    `- Verdict: **${run.verdict}**${run.reason ? ` — ${run.reason}` : ''}`,
    `- Agent: ${run.agent}${run.model ? ` (${run.model})` : ''}; ${input.iterations.length} iteration(s)`,
    `- Branch: \`${run.branch}\` from \`${run.baseRef}\` (${run.baseCommit.slice(0, 12)})`,
    `- Change: ${describeDiff(input.totalDiff)}`,
    `- Time: ${run.startedAt} → ${run.finishedAt}`,
    '',
  ];
  if (input.finalCheck) {
    lines.push('## Gates on the final tree', '', '| gate | status | duration | tests |', '| --- | --- | --- | --- |');
    for (const gate of input.finalCheck.gates) {
      const tests = gate.counts ? `${gate.counts.passed}/${gate.counts.total} passed` : '';
      lines.push(`| ${gate.name} | ${gate.status} | ${(gate.durationMs / 1000).toFixed(1)}s | ${tests} |`);
    }
    lines.push('');
    lines.push(...renderBenchmarkSection(input.finalCheck.gates));
  }
  if (input.gym) lines.push(...renderGymSection(input.gym));
  if (input.guard) lines.push(...guardSection(input.guard));
  if (input.judging) lines.push(...judgingSection(input.judging));
  lines.push(
    '## Iterations',
    '',
    '| # | agent | checks | change | commit | time |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const iteration of input.iterations) {
    lines.push(
      `| ${iteration.number} | ${iteration.agentStatus} | ${iteration.checkVerdict ?? '-'} | ${describeDiff(iteration.diff)} | ${iteration.commitSha?.slice(0, 12) ?? '-'} | ${(iteration.durationMs / 1000).toFixed(1)}s |`,
    );
  }
  lines.push('', '## Usage', '');
  if (input.usage.length === 0) lines.push('The agent reported no usage.');
  for (const usage of input.usage) lines.push(`- ${formatUsageLine(usage)}`);
  return `${lines.join('\n')}\n`;
}

/** The same evidence as data, for tools. */
export function evidenceJson(input: EvidenceInput) {
  return {
    run: input.run,
    iterations: input.iterations,
    gates:
      input.finalCheck?.gates.map((gate) => ({
        name: gate.name,
        status: gate.status,
        duration_ms: gate.durationMs,
        counts: gate.counts ?? null,
        ...(gate.bench ? { bench: gate.bench } : {}),
      })) ?? [],
    diff: input.totalDiff,
    usage: input.usage,
    guard: input.guard ?? null,
    judging: input.judging ?? null,
    ...(input.gym ? { gym: input.gym } : {}),
  };
}

function judgingSection(judging: JudgingEvidence): string[] {
  const repository =
    judging.repository.length === 0
      ? ['- Repository: the shared git dir (hooks, config, info/) was as the run found it after every turn.']
      : [
          '- Repository: the agent changed what it must not; Sluice put back what it could:',
          ...judging.repository.map((line) => `  - ${line}`),
        ];
  return [
    '## How it was judged',
    '',
    `- Gates: ${judging.checkout}`,
    `- Processes: ${judging.containment}`,
    `- Sandbox: ${judging.sandbox}`,
    ...repository,
    '',
  ];
}

/** What the test guard found: what a human must decide first, then what blocks, what Sluice restored, warnings. */
function guardSection(guard: NonNullable<EvidenceInput['guard']>): string[] {
  const lines = ['## Test guard', ''];
  if (guard.findings.length === 0 && guard.reverted.length === 0) {
    return [...lines, 'No weakened test, protected file or runner config in the change.', ''];
  }
  for (const severity of ['ask', 'block']) {
    const found = guard.findings.filter((finding) => finding.severity === severity);
    if (found.length === 0) continue;
    lines.push(`**${guardHeadings[severity]}:**`, '', ...found.map(findingLine), '');
  }
  if (guard.reverted.length > 0) {
    lines.push('**Restored by Sluice from the base:**', '', ...guard.reverted.map(findingLine), '');
  }
  const warnings = guard.findings.filter((finding) => finding.severity === 'warn');
  if (warnings.length > 0) lines.push(`**${guardHeadings.warn}:**`, '', ...warnings.map(findingLine), '');
  return lines;
}

function findingLine(finding: Finding): string {
  return `- \`${finding.path}:${finding.line}\` ${finding.rule}: ${finding.message}`;
}

function describeDiff(diff: DiffSummary): string {
  return `${diff.filesChanged} file${diff.filesChanged === 1 ? '' : 's'}, +${diff.insertions} −${diff.deletions}`;
}
