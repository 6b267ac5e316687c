import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeContainment } from '../../../src/process/containment.ts';
import { runProcess } from '../../../src/process/run-process.ts';
import { gitdir } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { postJson, type ServeProcess, startServe } from './serve-fixtures.ts';

const waitingExit = 75;

/** What an agent would run inside its turn: it read the token from .sluice/serve.json and posts as a webhook. */
const selfApproval = (serve: ServeProcess, id: string) => `
const token = JSON.parse(require('node:fs').readFileSync('.sluice/serve.json', 'utf8')).token;
fetch('${serve.url}/api/workflows/${id}/steps/sign/approve', {
  method: 'POST',
  headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
  body: JSON.stringify({ reason: 'looks fine to me' }),
}).then(async (response) => console.log(response.status, await response.text()));
`;

describe.skipIf(describeContainment().mechanism !== 'pid-namespace')(
  'sluice serve: an agent cannot decide for the human',
  () => {
    it('refuses an approval posted from inside an agent turn with the right token; the same call from beside the server works', async () => {
      const repo = await gitdir({
        files: {
          'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
          '.gitignore': '.sluice/\n*.log\n',
          '.sluice/workflows/ship.yaml': `steps:
  sign:
    approve: { message: Ship it? }
  after:
    needs: [sign]
    run: echo "\${{ steps.sign.outputs.decision }}" >> after.log
`,
        },
      });
      const parked = await runSluice(['workflow', 'run', 'ship'], { cwd: repo });
      expect(parked.exitCode, parked.stdout + parked.stderr).toBe(waitingExit);
      const id = /workflow ship (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
      const serve = await startServe(repo);

      // Contained as agent turns are: its own PID namespace.
      const output = join(repo, 'agent-post.log');
      const agent = await runProcess({
        command: { file: process.execPath, args: ['-e', selfApproval(serve, id)] },
        cwd: repo,
        timeoutMs: 20_000,
        outputPath: output,
        contain: true,
      });
      expect(agent).toMatchObject({ status: 'exited', exitCode: 0 });
      const answer = readFileSync(output, 'utf8');
      expect(answer).toMatch(/^403 /);
      expect(answer).toContain('FORBIDDEN_AGENT');
      const shown = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
      expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'waiting' });

      const person = await postJson(serve, `/api/workflows/${id}/steps/sign/approve`, { reason: 'read it' });
      expect(person.status, person.body).toBe(200);
    });
  },
);
