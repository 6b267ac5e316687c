import { open } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { ReadinessProbe } from '../../config/service-schema.ts';
import { compileTextPattern, type TextPattern } from '../text-pattern.ts';

/** One way of asking a service "are you up yet?". */
export interface ReadinessCheck {
  /** What is awaited, for messages: `tcp 127.0.0.1:5432`. */
  readonly description: string;
  /** The address probed (`127.0.0.1:5432`, a URL); none for a log line. */
  readonly target?: string;
  /** One attempt, given at most `timeoutMs`; false while not ready. Never throws. */
  attempt(timeoutMs: number): Promise<boolean>;
}

/** The check for a service's `ready` block; an invalid `/regex/` throws a TypeError naming it. */
export function createReadinessCheck(probe: ReadinessProbe, logFile: string): ReadinessCheck {
  if ('tcp' in probe) return tcpCheck(probe.tcp);
  if ('http' in probe) return httpCheck(probe.http, probe.status);
  return logLineCheck(compileTextPattern(probe.log), logFile);
}

function tcpCheck(target: number | string): ReadinessCheck {
  const [host, port] =
    typeof target === 'number'
      ? ['127.0.0.1', target]
      : [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  return {
    description: `tcp ${host}:${port}`,
    target: `${host}:${port}`,
    attempt: (timeoutMs) =>
      new Promise((resolve) => {
        let socket: Socket;
        try {
          socket = connect({ host, port });
        } catch {
          // A port out of range ("host:99999"): it never gets ready.
          return resolve(false);
        }
        const done = (ready: boolean) => {
          clearTimeout(timer);
          socket.destroy();
          resolve(ready);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        // A connect to a free local port can pick that very port as its source and reach itself.
        socket.once('connect', () =>
          done(!(socket.localPort === port && socket.localAddress === socket.remoteAddress)),
        );
        socket.once('error', () => done(false));
      }),
  };
}

function httpCheck(url: string, status: number): ReadinessCheck {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return {
    description: `http ${url} to answer ${status}`,
    target: url,
    attempt: (timeoutMs) =>
      new Promise((resolve) => {
        let req: ReturnType<typeof request>;
        try {
          // No keep-alive agent: a pooled socket would hold the service (and Sluice) open.
          req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (response) => {
            response.resume();
            resolve(response.statusCode === status);
            req.destroy();
          });
        } catch {
          // A URL Node cannot request (another protocol): it never gets ready.
          return resolve(false);
        }
        req.once('timeout', () => req.destroy());
        req.once('error', () => resolve(false));
        req.once('close', () => resolve(false));
        req.end();
      }),
  };
}

/** Longest unfinished line kept between attempts; a service that never writes a newline is still matched. */
const maxPartialLine = 64 * 1024;

/** Reads the log from where the last attempt stopped, so a long log is read once. */
function logLineCheck(pattern: TextPattern, logFile: string): ReadinessCheck {
  let offset = 0;
  let partial = '';
  const decoder = new StringDecoder('utf8');
  return {
    description: `a log line matching ${JSON.stringify(pattern.source)}`,
    attempt: async () => {
      let chunk: Buffer;
      try {
        const handle = await open(logFile, 'r');
        try {
          const { size } = await handle.stat();
          if (size <= offset) return false;
          chunk = Buffer.alloc(size - offset);
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
          offset += bytesRead;
          chunk = chunk.subarray(0, bytesRead);
        } finally {
          await handle.close();
        }
      } catch {
        return false;
      }
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = (lines.pop() ?? '').slice(-maxPartialLine);
      return lines.some((line) => pattern.test(line.replace(/\r$/, ''))) || pattern.test(partial);
    },
  };
}
