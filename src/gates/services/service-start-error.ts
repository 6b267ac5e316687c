import { SluiceError } from '../../errors.ts';

/** A service that could not be started or never became ready, with the end of its log. */
export class ServiceStartError extends SluiceError {
  readonly service: string;
  /** The last lines of the service's log (secrets redacted). */
  readonly logTail: string[];
  /** The service's log, relative to the folder of sluice.yaml. */
  readonly logPath: string;

  constructor(service: string, message: string, logTail: string[], logPath: string) {
    super('SERVICE_START_FAILED', message);
    this.service = service;
    this.logTail = logTail;
    this.logPath = logPath;
  }
}
