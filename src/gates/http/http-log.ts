import type { HttpRequestConfig } from '../../config/e2e-schema.ts';
import type { Mismatch } from './check-response.ts';
import type { SendOutcome } from './send-request.ts';

const maxLoggedBody = 8000;
// Credentials sent with a request stay out of the log.
const secretHeader = /auth|cookie|token|secret|api-?key|password/i;

/** One request, its response (or why there was none) and its mismatches, as lines of the gate's log. */
export function formatExchange(request: HttpRequestConfig, outcome: SendOutcome, mismatches: Mismatch[]): string {
  const lines = [`> ${request.method} ${request.url}${request.name ? `  (${request.name})` : ''}`];
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`> ${name}: ${secretHeader.test(name) ? '[redacted]' : value}`);
  }
  if (request.body !== undefined) {
    lines.push('>', clip(typeof request.body === 'string' ? request.body : JSON.stringify(request.body, null, 2)));
  }
  switch (outcome.status) {
    case 'responded': {
      const { response } = outcome;
      lines.push(`< ${response.status} ${response.statusText} (${response.durationMs} ms)`);
      for (const [name, value] of response.headers)
        lines.push(`< ${name}: ${secretHeader.test(name) ? '[redacted]' : value}`);
      if (response.body !== '') lines.push('<', clip(response.body));
      break;
    }
    case 'unreachable':
      lines.push(`! ${outcome.problem} (after ${outcome.durationMs} ms)`);
      break;
    case 'timed-out':
      lines.push(`! no response: the gate timed out (after ${outcome.durationMs} ms)`);
      break;
    case 'cancelled':
      lines.push('! cancelled');
      break;
  }
  for (const mismatch of mismatches) {
    const values =
      mismatch.expected !== undefined ? ` (expected ${mismatch.expected}, received ${mismatch.received ?? '?'})` : '';
    lines.push(`FAIL ${mismatch.message.split('\n')[0]}${values}`);
  }
  if (outcome.status === 'responded' && mismatches.length === 0) lines.push('ok');
  return `${lines.join('\n')}\n\n`;
}

function clip(text: string): string {
  return text.length <= maxLoggedBody ? text : `${text.slice(0, maxLoggedBody)}\n… (${text.length} characters in all)`;
}
