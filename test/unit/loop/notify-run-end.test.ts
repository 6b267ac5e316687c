import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRunEnd, notifyRunEnd } from '../../../src/loop/notify-run-end.ts';
import { tempDir } from '../../support/temp-dir.ts';

const notice = {
  runId: '20261124-1030-ab12',
  goal: 'Speed up the parser',
  verdict: 'done',
  iterations: 3,
  costUsd: 0.42,
};

describe('notifyRunEnd', () => {
  it('posts a Slack-compatible body to the webhook', async () => {
    const bodies: unknown[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const problems = await notifyRunEnd(
        { webhook: `http://127.0.0.1:${port}/hook`, desktop: false },
        notice,
        tempDir(),
      );
      expect(problems).toEqual([]);
      expect(bodies).toEqual([
        {
          text: 'Sluice run 20261124-1030-ab12: done after 3 iterations ($0.42) — Speed up the parser',
          sluice: notice,
        },
      ]);
    } finally {
      server.close();
    }
  });

  it('runs the command with the run in its environment, and reports a webhook that is down', async () => {
    const dir = tempDir();
    const out = join(dir, 'notified.txt');
    const problems = await notifyRunEnd(
      {
        command: `echo "$SLUICE_RUN_VERDICT $SLUICE_RUN_ID" > '${out}'`,
        webhook: 'http://127.0.0.1:9/closed',
        desktop: false,
      },
      { ...notice, verdict: 'blocked', reason: 'same failure 3 times', costUsd: null },
      dir,
    );
    expect(readFileSync(join(dir, 'notify.log'), 'utf8')).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('blocked 20261124-1030-ab12\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^webhook failed/);
  });

  it('says when the cost is unknown', () => {
    expect(describeRunEnd({ ...notice, costUsd: null, iterations: 1 })).toBe(
      'Sluice run 20261124-1030-ab12: done after 1 iteration (cost unknown) — Speed up the parser',
    );
  });
});
