import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findConfigFile } from '../../config/config-file.ts';
import { parseDuration } from '../../config/duration.ts';
import { UsageError } from '../../errors.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { type DispatchEvent, dispatch } from '../../queue/dispatcher.ts';
import { RunStore, runStorePath } from '../../store/run-store.ts';
import { currentBranch } from '../../workspace/refs.ts';
import { writeOut } from '../output/write.ts';
import { createWorkPorts } from '../work-ports.ts';
import { withInterruptSignal } from './interrupt.ts';
import { parseWholeNumber } from './parse-flags.ts';
import { holdWorkLock } from './work-lock.ts';

const help = `Usage: sluice work [options]

Start runs for queued tasks ("sluice add") while admission allows: a free slot (--concurrency), the
day's spend under queue.max_usd_per_day, and room in the review queue (waiting review minutes plus
what the runs in flight will add, within review capacity x review.target_latency). Each run works in
its own worktree, exactly as "sluice run"; a done run waits for "sluice review". Keeps going until
stopped (Ctrl-C stops the runs in flight; their tasks start over next time). After a crash or kill -9,
starting it again resumes the runs it left.

Options:
  -C, --dir <path>          Project folder (default: current folder)
  -j, --concurrency <n>     Runs at once (default: queue.concurrency, 2)
      --base <branch>       Branch new runs start from and changes land on (default: the current branch)
      --agent <name>        claude-code | codex | command (default: sluice.yaml agent.name)
      --agent-command <cmd> For --agent command: the command
      --prompt-via <how>    For --agent command: argument | stdin | file
      --max-iterations <n>  Agent turns per run
      --poll <duration>     How often to look for room and new tasks (default: queue.poll, 2s)
      --once                Start what admission allows, wait for those runs, and exit
  -h, --help                Show this help`;

/** `sluice work`: the long-running dispatcher. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      concurrency: { type: 'string', short: 'j' },
      base: { type: 'string' },
      agent: { type: 'string' },
      'agent-command': { type: 'string' },
      'prompt-via': { type: 'string' },
      'max-iterations': { type: 'string' },
      poll: { type: 'string' },
      once: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see "sluice work --help"`);
  const configPath = findConfigFile(resolve(values.dir ?? '.'));
  if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" and commit it');
  const probe = await loadBaseConfig(configPath, values.base ?? 'HEAD');
  const baseRef = values.base ?? (await currentBranch(probe.repoRoot));
  if (!baseRef) throw new UsageError('HEAD is detached: name the branch runs start from with --base <branch>');
  const { queue, review } = probe.config;
  const concurrency = values.concurrency ? parseWholeNumber(values.concurrency, '--concurrency') : queue.concurrency;
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
            ...(values['max-iterations']
              ? { maxIterations: parseWholeNumber(values['max-iterations'], '--max-iterations') }
              : {}),
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
}

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
