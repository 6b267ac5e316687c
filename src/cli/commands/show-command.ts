import { SluiceError, UsageError } from '../../errors.ts';
import type { Finding } from '../../guard/finding.ts';
import { guardEvent } from '../../loop/run-ports.ts';
import { formatUsageLine } from '../../usage/format-usage.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { openProjectRunStore } from './open-run-store.ts';

interface GuardRecord {
  iteration: number;
  findings: Finding[];
  reverted: Finding[];
}

/** `sluice show <run-id>`: the receipt of one run. */
export const command = declareCommand({
  name: 'show',
  description:
    'One run: goal, verdict and reason, each iteration with its agent status, gate states, test-guard\nfindings and diff, and usage.',
  flags: {
    feedback: {
      type: 'boolean',
      description: 'Also print the feedback the agent received after each iteration, in full',
    },
    iteration: { type: 'whole', description: 'Only this iteration' },
    json: { type: 'boolean', description: 'Everything as JSON' },
    dir: repositoryDirFlag,
  },
  positionals: { placeholder: 'run-id', description: 'The run (an id from "sluice runs")' },
  async run(values, positionals) {
    const [runId] = positionals;
    if (!runId) throw new UsageError('sluice show needs a run id; "sluice runs" lists them');
    const store = await openProjectRunStore(values.dir);
    try {
      const found = await store.getRun(runId);
      if (!found) throw new SluiceError('RUN_NOT_FOUND', `no run ${runId}; "sluice runs" lists them`);
      const only = values.iteration;
      const iterations = (await store.listIterations(runId)).filter(
        (iteration) => only === undefined || iteration.number === only,
      );
      if (only !== undefined && iterations.length === 0) {
        throw new UsageError(`run ${runId} has no iteration ${only}`);
      }
      const gates = await store.gateResults(runId);
      const usage = await store.runUsage(runId);
      const guard = (await store.events(runId))
        .filter((event) => event.type === guardEvent)
        .map((event) => event.payload as GuardRecord);
      if (values.json) {
        writeOut(JSON.stringify({ run: found, iterations, gates, guard, usage }, null, 2));
        return 0;
      }
      const lines = [
        `run ${found.id}: ${found.status}${found.reason ? ` — ${found.reason}` : ''}`,
        `goal: ${found.goal}`,
        `agent: ${found.agent}${found.model ? ` (${found.model})` : ''} · branch ${found.branch} from ${found.baseRef} (${found.baseCommit.slice(0, 12)})`,
        `worktree: ${found.worktreePath}`,
        '',
      ];
      for (const iteration of iterations) {
        const files = iteration.filesChanged ?? 0;
        const diff = `${files} file${files === 1 ? '' : 's'} +${iteration.insertions ?? 0} −${iteration.deletions ?? 0}`;
        lines.push(
          `iteration ${iteration.number}: agent ${iteration.agentStatus ?? 'interrupted'}${iteration.agentReason ? ` (${iteration.agentReason})` : ''} · checks ${iteration.checkVerdict ?? '-'} · ${diff}`,
        );
        for (const gate of gates.filter((entry) => entry.iteration === iteration.number)) {
          const counts = gate.counts ? ` · ${gate.counts.failed} of ${gate.counts.total} tests failed` : '';
          lines.push(
            `  ${gate.status.padEnd(9)} ${gate.name} (${(gate.durationMs / 1000).toFixed(1)}s)${gate.status === 'failed' ? counts : ''}`,
          );
        }
        for (const record of guard.filter((entry) => entry.iteration === iteration.number)) {
          for (const finding of record.findings) {
            lines.push(`  guard     ${finding.rule} (${finding.severity}) ${finding.path}:${finding.line}`);
          }
          for (const finding of record.reverted) lines.push(`  restored  ${finding.path} (${finding.rule})`);
        }
        // The feedback of a done run's last iteration went to no one.
        const last = iteration.number === Math.max(...iterations.map((entry) => entry.number));
        if (iteration.feedback && !(found.status === 'done' && last && only === undefined)) {
          if (values.feedback) {
            lines.push('  feedback to the agent:');
            for (const line of iteration.feedback.trimEnd().split('\n')) lines.push(`  │ ${line}`.trimEnd());
          } else {
            const count = iteration.feedback.trimEnd().split('\n').length;
            lines.push(`  feedback  ${count} line${count === 1 ? '' : 's'} to the agent (--feedback shows them)`);
          }
        }
      }
      lines.push('', 'usage:');
      if (usage.length === 0) lines.push('  none reported');
      for (const entry of usage) lines.push(`  ${formatUsageLine(entry)}`);
      writeOut(lines.join('\n'));
      return 0;
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;
