import { join } from 'node:path';
import type { RunSummary } from '../loop/drive-run.ts';
import { resumeRun, runSettingsOf } from '../loop/resume-run.ts';
import { loadBaseConfig } from '../loop/run-config.ts';
import { startRun } from '../loop/start-run.ts';
import type { RunStore } from '../store/run-store.ts';
import type { AgentRunResult, WorkflowPorts } from '../workflow/workflow-ports.ts';
import { currentBranch } from '../workspace/refs.ts';
import { agentOfRun } from './create-agent.ts';
import { createRunReporter } from './output/run-reporter.ts';
import { writeOut } from './output/write.ts';
import { prepareRun } from './prepare-run.ts';

/**
 * A workflow's agent steps, started and resumed exactly as `sluice run` and `sluice resume` do: the
 * base config from the base commit, the same budgets and sandbox. A `done` run is not queued for review
 * here: the workflow queues the change once it is through its checks (its `pull_request` step, or its end).
 */
export function createWorkflowPorts(store: RunStore, configPath: string): WorkflowPorts {
  return {
    async startAgent(request, signal, onStarted) {
      const base = await loadBaseConfig(configPath, request.base ?? 'HEAD');
      const baseRef = request.base ?? (await currentBranch(base.repoRoot)) ?? 'HEAD';
      const prepared = prepareRun(base.config, {
        ...(request.agent ? { agent: request.agent } : {}),
        ...(request.command ? { agentCommand: request.command } : {}),
        ...(request.promptVia ? { promptVia: request.promptVia } : {}),
        ...(request.model ? { model: request.model } : {}),
        accept: request.accept,
        ...(request.maxIterations ? { maxIterations: request.maxIterations } : {}),
        ...(request.maxWallMs ? { maxWallMs: request.maxWallMs } : {}),
        ...(request.maxUsd ? { maxUsd: request.maxUsd } : {}),
        ...(request.maxTokens ? { maxTokens: request.maxTokens } : {}),
        ...(request.plan ? { planFile: request.plan } : {}),
        ...(request.session ? { keepSession: true } : {}),
      });
      writeOut(`agent sandbox: ${prepared.sandbox.description}`);
      const reporter = createRunReporter(process.stdout, { repositoryDir: base.repoRoot });
      const summary = await startRun({
        store,
        goal: request.goal,
        base,
        baseRef,
        agent: prepared.agent,
        agentCost: prepared.agentCost,
        ...(prepared.model ? { model: prepared.model } : {}),
        agentEnv: prepared.agentEnv,
        settings: { ...prepared.settings, workflowStep: request.marker },
        setup: base.config.setup,
        ...(base.config.notify ? { notify: base.config.notify } : {}),
        signal,
        onEvent: reporter.onEvent,
        onStarted: async (id, worktreePath) => {
          await onStarted(id);
          await reporter.started(id, worktreePath);
        },
      });
      reporter.finished(summary);
      return resultOf(summary);
    },

    async resumeAgent(runId, signal) {
      const found = await store.getRun(runId);
      if (!found) throw new Error(`the run ${runId} of a workflow step is not in the store`);
      const base = await loadBaseConfig(join(found.repoRoot, runSettingsOf(found).configFile), found.baseCommit);
      const reporter = createRunReporter(process.stdout, { repositoryDir: found.repoRoot, runId });
      const summary = await resumeRun({
        store,
        runId,
        agent: agentOfRun(found, base.config),
        agentEnv: base.config.agent?.env ?? {},
        ...(base.config.notify ? { notify: base.config.notify } : {}),
        signal,
        onEvent: reporter.onEvent,
      });
      reporter.finished(summary);
      return resultOf(summary);
    },

    async reviewTurn(request, signal) {
      const base = await loadBaseConfig(configPath, 'HEAD');
      const prepared = prepareRun(base.config, {
        ...(request.agent ? { agent: request.agent } : {}),
        ...(request.command ? { agentCommand: request.command } : {}),
        ...(request.promptVia ? { promptVia: request.promptVia } : {}),
        ...(request.model ? { model: request.model } : {}),
      });
      const result = await prepared.agent.runTurn({
        prompt: request.prompt,
        cwd: request.cwd,
        logPath: request.logPath,
        timeoutMs: prepared.settings.turnTimeoutMs,
        env: prepared.agentEnv,
        signal,
        ...(prepared.model ? { model: prepared.model } : {}),
        ...(request.outputSchema ? { outputSchema: request.outputSchema } : {}),
      });
      return { text: result.finalMessage ?? '', usage: result.usage };
    },
  };
}

function resultOf(summary: RunSummary): AgentRunResult {
  return {
    runId: summary.run.id,
    verdict: summary.outcome.verdict,
    reason: summary.outcome.reason,
    branch: summary.run.branch,
    worktree: summary.run.worktreePath,
    reportPath: summary.reportPath,
  };
}
