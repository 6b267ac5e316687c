import type { ServiceConfig } from '../../config/service-schema.ts';

export interface ServiceSetOptions {
  services: Record<string, ServiceConfig>;
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/` under the root; logs go to `logs/service-<name>.log`. */
  sluiceDir: string;
  signal?: AbortSignal;
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** A service that could not be started or never became ready, with the end of its log. */
export class ServiceStartError extends Error {
  readonly service: string;
  readonly logTail: string[];
  readonly logPath: string;

  constructor(service: string, message: string, logTail: string[], logPath: string) {
    super(message);
    this.name = 'ServiceStartError';
    this.service = service;
    this.logTail = logTail;
    this.logPath = logPath;
  }
}

/** The services of one check: each started at most once, all stopped at the end. STUB */
export class ServiceSet {
  readonly options: ServiceSetOptions;

  constructor(options: ServiceSetOptions) {
    this.options = options;
  }

  /** Start the named services not yet started and wait until each is ready. Throws ServiceStartError. */
  async ensure(names: string[]): Promise<void> {
    if (names.length > 0) throw new Error('services are not implemented yet');
  }

  /** Absolute path of a service's log. */
  logPath(name: string): string {
    return `${this.options.sluiceDir}/logs/service-${name}.log`;
  }

  /** Stop every started service (stop command or signal, then SIGKILL after stop_timeout). Never throws. */
  async stopAll(): Promise<void> {}
}
