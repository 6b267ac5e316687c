import { runProcess } from '../../process/run-process.ts';
import { type RunningService, type ServiceContext, serviceStopLogFile } from './running-service.ts';

/**
 * Stop a service: its `stop` command first when it has one, then `stop_signal` to whatever of its
 * process group is left, SIGKILL after `stop_timeout`. Never throws.
 */
export async function stopService(service: RunningService, context: ServiceContext): Promise<void> {
  const { config } = service;
  // Run where the service's processes are (its PID namespace), so a pid read from its pidfile is the right one.
  const stopCommand = config.stop ? service.process.commandInside(config.stop, service.cwd) : 'gone';
  if (stopCommand !== 'gone') {
    try {
      // Not given the check's signal: after Ctrl-C the service must still be stopped properly.
      await runProcess({
        command: stopCommand,
        cwd: service.cwd,
        env: service.env,
        timeoutMs: config.stop_timeout,
        outputPath: serviceStopLogFile(context.logDir, service.name),
        ...(context.onProcessStart ? { onStart: context.onProcessStart } : {}),
      });
    } catch {
      // The log could not be written; the signal below still stops the group.
    }
  }
  try {
    await service.process.stop(config.stop_signal, config.stop_timeout);
  } catch {
    // Nothing is left to try: the exit hook still kills the tracked group.
  }
}
