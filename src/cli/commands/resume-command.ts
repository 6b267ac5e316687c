import { join } from 'node:path';
import { SluiceError, UsageError } from '../../errors.ts';
import { resumeRun, runSettingsOf } from '../../loop/resume-run.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { useProcessLauncher } from '../../process/launcher/shared-launcher.ts';
import { enqueueForReview } from '../../review/review-queue.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { agentOfRun } from '../create-agent.ts';
import { declareCommand } from '../declare-command.ts';
import { commandHint } from '../output/command-hint.ts';
import { createRunReporter, runExitCode } from '../output/run-reporter.ts';
import { writeOut } from '../output/write.ts';
import { withInterruptSignal } from './interrupt.ts';
import { openProjectRunStore } from './open-run-store.ts';

/** `sluice resume <run-id>`. */
export const command = declareCommand({
  name: 'resume',
  description:
    'Continue an interrupted run (a crash, kill -9, a closed terminal) from its last finished iteration,\nin its own worktree, judged by the same base commit.',
  flags: {
    dir: repositoryDirFlag,
    'agent-command': {
      type: 'string',
      placeholder: 'cmd',
      description: 'For a run of --agent command: the command to use from now on',
    },
  },
  positionals: { placeholder: 'run-id', description: 'The run to continue (an id from "sluice runs")' },
  async run(values, positionals) {
    const [runId] = positionals;
    if (!runId) throw new UsageError('sluice resume needs a run id; "sluice runs" lists them');
    useProcessLauncher();
    const store = await openProjectRunStore(values.dir);
    try {
      const found = await store.getRun(runId);
      if (!found) throw new SluiceError('RUN_NOT_FOUND', `no run ${runId}; "sluice runs" lists them`);
      const base = await loadBaseConfig(join(found.repoRoot, runSettingsOf(found).configFile), found.baseCommit);
      const agent = agentOfRun(found, base.config, values['agent-command']);
      const reporter = createRunReporter(process.stdout, { repositoryDir: found.repoRoot, runId: found.id });
      const summary = await withInterruptSignal((signal) =>
        resumeRun({
          store,
          runId,
          agent,
          agentEnv: base.config.agent?.env ?? {},
          ...(base.config.notify ? { notify: base.config.notify } : {}),
          signal,
          onEvent: reporter.onEvent,
        }),
      );
      reporter.finished(summary);
      if (summary.outcome.verdict === 'done') {
        const item = await enqueueForReview(store, summary.run, {
          cost: base.config.review.cost,
          evidencePath: summary.reportPath,
        });
        writeOut(
          `waiting for review (${item.costExplanation}): ${commandHint(`review show ${summary.run.id}`, found.repoRoot)}`,
        );
      }
      return runExitCode(summary.outcome.verdict);
    } finally {
      await store.close();
    }
  },
});

export const run = command.run;
