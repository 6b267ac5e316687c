import { mkdir, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { ServiceConfig } from '../../config/service-schema.ts';
import { type BackgroundExit, startBackgroundProcess } from '../../process/start-background-process.ts';
import { createReadinessCheck, type ReadinessCheck } from './readiness-checks.ts';
import { type RunningService, type ServiceContext, serviceLogFile } from './running-service.ts';
import { readServiceLogTail } from './service-log-tail.ts';
import { ServiceStartError } from './service-start-error.ts';
import { stopService } from './stop-service.ts';
import { type ReadyOutcome, waitUntilReady } from './wait-until-ready.ts';

/** How long the look for another process on the service's address may take. */
const strangerProbeMs = 500;

/**
 * Start a service's `run` command (its output truncating the service log) and wait until it is ready.
 * A service that cannot start, exits or is not ready in time is stopped, then a ServiceStartError
 * carrying the end of its log is thrown.
 */
export async function startService(
  name: string,
  config: ServiceConfig,
  context: ServiceContext,
): Promise<RunningService> {
  const logFile = serviceLogFile(context.logDir, name);
  const fail = (message: string, tail: string[] = []): never => {
    throw new ServiceStartError(name, message, tail, relative(context.root, logFile));
  };
  if (context.signal?.aborted) return fail(`service "${name}" was cancelled before it was ready`);
  const cwd = resolve(context.root, config.cwd);
  if (!(await isDirectory(cwd))) {
    return fail(`service "${name}" could not start: its working directory ${config.cwd} does not exist`);
  }
  let check: ReadinessCheck | undefined;
  try {
    check = config.ready ? createReadinessCheck(config.ready, logFile) : undefined;
  } catch (error) {
    return fail(`service "${name}" could not start: ${(error as Error).message}`);
  }
  if (check?.target && config.stop === undefined && (await check.attempt(strangerProbeMs))) {
    // A foreground service cannot be answering yet: gates would test a stranger (a leftover of an earlier run).
    const message = `service "${name}" was not started: ${check.target} already answers, so another process holds it`;
    return fail(message);
  }
  await mkdir(context.logDir, { recursive: true });
  const env = { ...config.env, SLUICE_SERVICE: name };
  const started = startBackgroundProcess({
    command: config.run,
    cwd,
    env,
    outputPath: logFile,
    // Its daemons die with stop() and with Sluice, even on kill -9.
    contain: true,
    ...(context.onProcessStart ? { onStart: context.onProcessStart } : {}),
  });
  if (started.pgid === undefined) {
    const exit = await started.exited;
    return fail(describeEarlyExit(name, config, exit), await readServiceLogTail(logFile, config.env));
  }
  const service: RunningService = { name, config, cwd, env, process: started };
  // Without a `ready` block, a started service is a ready one.
  if (!check) return service;
  const outcome = await waitUntilReady({
    check,
    process: started,
    daemonStarter: config.stop !== undefined,
    timeoutMs: config.ready_timeout,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  if (outcome.status === 'ready') return service;
  // The tail is read first: it shows why the service is not up, not how it shut down.
  const tail = await readServiceLogTail(logFile, config.env);
  await stopService(service, context);
  return fail(describeNotReady(name, config, check, outcome), tail);
}

function describeNotReady(
  name: string,
  config: ServiceConfig,
  check: ReadinessCheck,
  outcome: Exclude<ReadyOutcome, { status: 'ready' }>,
): string {
  switch (outcome.status) {
    case 'exited':
      return describeEarlyExit(name, config, outcome.exit);
    case 'timed-out':
      return `service "${name}" was not ready after ${formatWait(config.ready_timeout)} (waiting for ${check.description})`;
    case 'cancelled':
      return `service "${name}" was cancelled before it was ready`;
  }
}

function describeEarlyExit(name: string, config: ServiceConfig, exit: BackgroundExit): string {
  switch (exit.status) {
    case 'spawn-failed':
      return `service "${name}" could not start: ${exit.message}`;
    case 'signalled':
      return `service "${name}" was killed by ${exit.signal} before it was ready`;
    case 'exited':
      if (exit.exitCode !== 0 || config.stop !== undefined) {
        return `service "${name}" exited with code ${exit.exitCode} before it was ready`;
      }
      return (
        `service "${name}" exited with code 0 before it was ready: \`run\` must keep the service in the ` +
        'foreground, or, when it starts a daemon, the service needs a `stop` command'
      );
  }
}

/** `30s`, `1.5s`, `2m`, `500ms`: how a ready_timeout is usually written. */
function formatWait(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
