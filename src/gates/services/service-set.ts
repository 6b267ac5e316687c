import { join } from 'node:path';
import type { ServiceConfig } from '../../config/service-schema.ts';
import { type RunningService, type ServiceContext, serviceLogFile } from './running-service.ts';
import { ServiceStartError } from './service-start-error.ts';

export { ServiceStartError } from './service-start-error.ts';

export interface ServiceSetOptions {
  services: Record<string, ServiceConfig>;
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root; logs go to `logs/service-<name>.log`. */
  sluiceDir: string;
  /** Aborting stops waiting for services to get ready (Ctrl-C); stopAll() still stops them. */
  signal?: AbortSignal;
  /** Told each service's process group as it starts, so a successor can reap it if Sluice dies. */
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** The services of one check: each started at most once, however many gates need it, and all stopped at the end. */
export class ServiceSet {
  readonly #services: Record<string, ServiceConfig>;
  readonly #context: ServiceContext;
  /** In start order; a failed start stays failed for the rest of the check. */
  readonly #starts = new Map<string, Promise<RunningService>>();

  constructor(options: ServiceSetOptions) {
    this.#services = options.services;
    this.#context = {
      root: options.root,
      logDir: join(options.sluiceDir, 'logs'),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProcessStart ? { onProcessStart: options.onProcessStart } : {}),
    };
  }

  /** Start the named services not yet started and wait until each is ready. Throws ServiceStartError. */
  async ensure(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => this.#start(name)));
  }

  /** Absolute path of a service's log. */
  logPath(name: string): string {
    return serviceLogFile(this.#context.logDir, name);
  }

  /**
   * Stop every started service, the last started first (an app before its database): stop command or
   * signal, then SIGKILL after stop_timeout. Never throws; when it returns, none of their processes runs.
   */
  async stopAll(): Promise<void> {
    const starts = [...this.#starts.values()].reverse();
    this.#starts.clear();
    for (const start of starts) {
      const service = await start.catch(() => undefined);
      // A service that failed to start was stopped before its error was thrown.
      if (service) await (await import('./stop-service.ts')).stopService(service, this.#context);
    }
  }

  #start(name: string): Promise<RunningService> {
    const known = this.#starts.get(name);
    if (known) return known;
    const config = this.#services[name];
    const start = config
      ? import('./start-service.ts').then(({ startService }) => startService(name, config, this.#context))
      : Promise.reject(new ServiceStartError(name, `unknown service "${name}"`, [], ''));
    // Rejections are seen by ensure(); stopAll() must not meet an unhandled one.
    start.catch(() => {});
    this.#starts.set(name, start);
    return start;
  }
}
