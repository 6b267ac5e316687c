import { type GateResult, isGatePass } from '../../gates/gate-results.ts';
import type { RunSummary } from '../../loop/drive-run.ts';
import type { RunLoopEvent } from '../../loop/run-loop.ts';
import type { RunVerdict } from '../../loop/run-verdicts.ts';
import { formatUsageLine } from '../../usage/format-usage.ts';
import { totalTokens } from '../../usage/model-usage.ts';
import { commandHint } from './command-hint.ts';
import { gymLines } from './gym-line.ts';
import { formatDuration } from './paint.ts';

function describeFailingGate(gate: GateResult): string {
  if (gate.counts && gate.counts.failed > 0)
    return `${gate.name} (${gate.counts.failed} of ${gate.counts.total} tests)`;
  return gate.status === 'timed-out' ? `${gate.name} (timed out)` : gate.name;
}

/** Feedback longer than this is cut in the live output; `sluice show --feedback` has all of it. */
const feedbackLinesShown = 40;

/**
 * Plain progress lines for `sluice run`: one line per step a person wants to see, and the feedback the
 * agent receives for its next turn, as it receives it (that feedback is what keeps a loop short).
 */
export function createRunReporter(stream: NodeJS.WriteStream, where: { repositoryDir: string; runId?: string }) {
  const say = (line: string) => stream.write(`${line}\n`);
  let runId = where.runId;
  const showFeedback = (iteration: number, feedback: string) => {
    const lines = feedback.trimEnd().split('\n');
    say('  feedback to the agent:');
    for (const line of lines.slice(0, feedbackLinesShown)) say(`  │ ${line}`.trimEnd());
    if (lines.length > feedbackLinesShown) {
      const rest = lines.length - feedbackLinesShown;
      const all = runId
        ? `: ${commandHint(`show ${runId} --feedback --iteration ${iteration}`, where.repositoryDir)}`
        : '';
      say(`  │ … ${rest} more line${rest === 1 ? '' : 's'}${all}`);
    }
  };
  return {
    started(id: string, worktreePath: string) {
      runId = id;
      say(`run ${id} on branch sluice/${id} (worktree ${worktreePath})`);
    },
    onEvent(event: RunLoopEvent) {
      switch (event.type) {
        case 'run:iteration:start':
          say(`iteration ${event.iteration}`);
          break;
        case 'run:iteration:agent': {
          const tokens = event.agent.usage.reduce((sum, usage) => sum + totalTokens(usage), 0);
          const costs = event.agent.usage.map((usage) => usage.costUsd);
          const cost =
            costs.length === 0 || costs.includes(null)
              ? ''
              : ` · $${costs.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)?.toFixed(2)}`;
          const reason = event.agent.reason ? ` (${event.agent.reason})` : '';
          say(
            `  agent ${event.agent.status}${reason} in ${formatDuration(event.agent.durationMs)}${tokens > 0 ? ` · ${tokens} tokens` : ''}${cost}`,
          );
          break;
        }
        case 'run:iteration:finish': {
          const failing = event.check.gates.filter((gate) => gate.blocking && !isGatePass(gate.status));
          const change = event.changedFiles ? '' : ' · no file changed';
          const blocking = event.guard.findings.filter((finding) => finding.severity === 'block');
          const restored = event.guard.reverted.length;
          const guard = [
            blocking.length > 0
              ? ` · guard blocks: ${[...new Set(blocking.map((finding) => finding.rule))].join(', ')}`
              : '',
            restored > 0 ? ` · guard restored ${restored} file${restored === 1 ? '' : 's'}` : '',
          ].join('');
          if (failing.length === 0) say(`  checks passed${guard}${change}`);
          else say(`  checks failed: ${failing.map(describeFailingGate).join(', ')}${guard}${change}`);
          if (!event.settled && event.feedback) showFeedback(event.iteration, event.feedback);
          break;
        }
        case 'run:gym:progress':
          for (const line of gymLines(event.step)) say(`  gym: ${line}`);
          break;
      }
    },
    finished(summary: RunSummary) {
      const { outcome } = summary;
      say('');
      say(
        `${outcome.verdict}: ${outcome.reason} (${outcome.iterations} iteration${outcome.iterations === 1 ? '' : 's'})`,
      );
      for (const usage of outcome.usage) say(`  ${formatUsageLine(usage)}`);
      say(`branch ${summary.run.branch} · evidence ${summary.reportPath}`);
      for (const problem of summary.notifyProblems) say(`notify: ${problem}`);
    },
  };
}

/** 0 done, 130 cancelled, 1 any other verdict: the machines did not accept the work. */
export function runExitCode(verdict: RunVerdict): number {
  if (verdict === 'cancelled') return 130;
  return verdict === 'done' ? 0 : 1;
}
