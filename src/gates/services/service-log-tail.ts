import { open } from 'node:fs/promises';
import { createRedactor } from '../redact-secrets.ts';
import { stripAnsi } from '../reports/failure-text.ts';

/** Lines of a service's log shown when it fails: enough to see why it did not come up. */
export const serviceTailLineCount = 20;
const tailBytes = 64 * 1024;

/** The last non-empty lines of a log, without colours and with secrets redacted; none if it is missing. */
export async function readServiceLogTail(logFile: string, env: Record<string, string>): Promise<string[]> {
  let text: string;
  try {
    const handle = await open(logFile, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, tailBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
  const redact = createRedactor({ ...process.env, ...env });
  return stripAnsi(text)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-serviceTailLineCount)
    .map(redact);
}
