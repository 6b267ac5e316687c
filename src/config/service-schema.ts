import { z } from 'zod';
import { durationSchema } from './duration.ts';

export const stopSignals = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'] as const;

const textPattern = z
  .string()
  .min(1)
  .describe('Text the line must contain, or a regular expression written /like this/ (flags after the last /).');

export const readinessSchema = z
  .union([
    z.strictObject({
      tcp: z
        .union([z.number().int().min(1).max(65535), z.string().regex(/^[^\s:]+:\d+$/, 'expected "host:port"')])
        .describe('A port on 127.0.0.1, or "host:port": ready once it accepts a connection.'),
    }),
    z.strictObject({
      http: z.url().describe('Ready once a GET of this URL answers with `status`.'),
      status: z.number().int().min(100).max(599).default(200).describe('Expected HTTP status.'),
    }),
    z.strictObject({
      log: textPattern.describe('Ready once a line of the service log matches.'),
    }),
  ])
  .describe('How Sluice knows the service is up: a TCP port, an HTTP status, or a log line.');

export const serviceSchema = z
  .strictObject({
    run: z
      .string()
      .min(1)
      .describe(
        'Shell command that starts the service. It may stay in the foreground (a server) or exit 0 after starting a daemon, when `stop` is given (pg_ctl start, docker compose up -d).',
      ),
    cwd: z.string().min(1).default('.').describe('Working directory, relative to the folder of sluice.yaml.'),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .default({})
      .describe('Extra environment variables.'),
    ready: readinessSchema.optional(),
    ready_timeout: durationSchema
      .prefault('30s')
      .describe('Give up (and fail the gates that need it) after this long.'),
    stop: z
      .string()
      .min(1)
      .optional()
      .describe('Shell command that stops the service (pg_ctl stop, docker compose down). Without it: `stop_signal`.'),
    stop_signal: z
      .enum(stopSignals)
      .default('SIGTERM')
      .describe("Signal sent to the service's process group when it has no `stop` command."),
    stop_timeout: durationSchema.prefault('10s').describe('After this long the process group is killed (SIGKILL).'),
  })
  .describe('Something gates need running (a database, the app under test), started at most once per check.');

export type ServiceConfig = z.output<typeof serviceSchema>;
export type ReadinessProbe = z.output<typeof readinessSchema>;
export { textPattern };
