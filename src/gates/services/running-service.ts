import { join } from 'node:path';
import type { ServiceConfig } from '../../config/service-schema.ts';
import type { BackgroundProcess } from '../../process/start-background-process.ts';

/** Where a check's services live and what they are told. */
export interface ServiceContext {
  /** Folder of sluice.yaml. */
  root: string;
  /** `.sluice/logs/`, absolute. */
  logDir: string;
  signal?: AbortSignal;
  onProcessStart?: (group: { pgid: number; startTime: string | undefined }) => void;
}

/** A started service: its command's process group and what is needed to stop it. */
export interface RunningService {
  name: string;
  config: ServiceConfig;
  /** Absolute working directory. */
  cwd: string;
  /** The environment added for its commands (`run` and `stop`). */
  env: Record<string, string>;
  process: BackgroundProcess;
}

/** Absolute path of a service's log (its `run` command's output). */
export function serviceLogFile(logDir: string, name: string): string {
  return join(logDir, `service-${name}.log`);
}

/** Absolute path of the output of a service's `stop` command. */
export function serviceStopLogFile(logDir: string, name: string): string {
  return join(logDir, `service-${name}.stop.log`);
}
