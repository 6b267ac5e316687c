import { resolve } from 'node:path';
import { findConfigFile } from '../../config/config-file.ts';
import { parseDuration } from '../../config/duration.ts';
import { UsageError } from '../../errors.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { useProcessLauncher } from '../../process/launcher/shared-launcher.ts';
import { type DispatchEvent, dispatch } from '../../queue/dispatcher.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { currentBranch } from '../../workspace/refs.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';
import { createWorkPorts } from '../work-ports.ts';
import { withInterruptSignal } from './interrupt.ts';
import { holdWorkLock } from './work-lock.ts';

/** `sluice work`: the long-running dispatcher. */
export const command = declareCommand({
  name: 'work',
  description: `Start runs for queued tasks ("sluice add") while admission allows: a free slot (--concurrency), the
day's spend under queue.max_usd_per_day, and room in the review queue (waiting review minutes plus
what the runs in flight will add, within review capacity x review.target_latency). Each run works in
its own worktree, exactly as "sluice run"; a done run waits for "sluice review". Keeps going until
stopped (Ctrl-C stops the runs in flight; their tasks start over next time). After a crash or kill -9,
starting it again resumes the runs it left.`,
  flags: {
    dir: { type: 'string', alias: 'C', placeholder: 'path', description: 'Project folder (default: current folder)' },
    concurrency: { type: 'whole', alias: 'j', description: 'Runs at once (default: queue.concurrency, 2)' },
    base: {
      type: 'string',
      placeholder: 'branch',
      description: 'Branch new runs start from and changes land on (default: the current branch)',
    },
    agent: {
      type: 'string',
      placeholder: 'name',
      description: 'claude-code | codex | command (default: sluice.yaml agent.name)',
    },
    'agent-command': { type: 'string', placeholder: 'cmd', description: 'For --agent command: the command' },
    'prompt-via': { type: 'string', placeholder: 'how', description: 'For --agent command: argument | stdin | file' },
    'max-iterations': { type: 'whole', description: 'Agent turns per run' },
    poll: {
      type: 'string',
      placeholder: 'duration',
      description: 'How often to look for room and new tasks (default: queue.poll, 2s)',
    },
    once: { type: 'boolean', description: 'Start what admission allows, wait for those runs, and exit' },
  },
  async run(values) {
    useProcessLauncher();
    const configPath = findConfigFile(resolve(values.dir ?? '.'));
    if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" and commit it');
    const probe = await loadBaseConfig(configPath, values.base ?? 'HEAD');
    const baseRef = values.base ?? (await currentBranch(probe.repoRoot));
    if (!baseRef) throw new UsageError('HEAD is detached: name the branch runs start from with --base <branch>');
    const { queue, review } = probe.config;
    const concurrency = values.concurrency ?? queue.concurrency;
    const pollMs = values.poll ? parseDuration(values.poll) : queue.poll;
    const store = await RunStore.open(runStorePath(resolve(probe.repoRoot, probe.configDir)));
    const release = await holdWorkLock(store.path);
    try {
      writeOut(`sluice work: up to ${concurrency} runs from ${baseRef}; Ctrl-C to stop`);
      await withInterruptSignal(async (signal) => {
        const stop = new AbortController();
        signal.addEventListener('abort', () => stop.abort(), { once: true });
        await dispatch({
          store,
          ports: createWorkPorts({
            store,
            configPath,
            baseRef,
            overrides: {
              ...(values.agent ? { agent: values.agent } : {}),
              ...(values['agent-command'] ? { agentCommand: values['agent-command'] } : {}),
              ...(values['prompt-via'] ? { promptVia: values['prompt-via'] } : {}),
              ...(values['max-iterations'] ? { maxIterations: values['max-iterations'] } : {}),
            },
          }),
          policy: {
            concurrency,
            ...(queue.max_usd_per_day !== undefined ? { maxUsdPerDay: queue.max_usd_per_day } : {}),
            targetLatencyMs: review.target_latency,
          },
          ...(review.capacity_minutes_per_day !== undefined
            ? { capacityMinutesPerDay: review.capacity_minutes_per_day }
            : {}),
          pollMs,
          signal: stop.signal,
          ...(values.once ? { once: true } : {}),
          onEvent: (event) => writeOut(describe(event)),
        });
      });
      return 0;
    } finally {
      await release();
      await store.close();
    }
  },
});

export const run = command.run;

function describe(event: DispatchEvent): string {
  switch (event.type) {
    case 'started':
      return `${event.resumed ? 'resumed' : 'started'} run ${event.runId} for task ${event.taskId}`;
    case 'finished':
      return `run ${event.runId} ${event.verdict}: ${event.reason} -> task ${event.taskId} ${event.taskStatus}`;
    case 'waiting':
      return `${event.count} task${event.count === 1 ? '' : 's'} waiting: ${event.reason}`;
    case 'failed':
      return `task ${event.taskId} could not run: ${event.error}`;
  }
}
