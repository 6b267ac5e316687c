import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../support/gitdir.ts';
import { brokenAdderRepo, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

// The agent rewrites, during its turn and at once, the loose object of the test as the base holds it:
// every checkout of the base would read a test that checks nothing. The loop looks at the objects written
// since the turn began (the file system clock's margin included), so the turn's first write is among them.
const forgingAgent = (blob: string) => `import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
fs.readFileSync(0);
const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).trim();
const file = path.join(common, 'objects', '${blob.slice(0, 2)}', '${blob.slice(2)}');
const weak = "import { test } from 'node:test';\\ntest('adds two numbers', () => {});\\n";
fs.chmodSync(file, 0o644);
fs.writeFileSync(file, deflateSync(Buffer.from('blob ' + Buffer.byteLength(weak) + '\\0' + weak)));
fs.writeFileSync('src/add.js', ${JSON.stringify(wrongAdd)});
`;

describe('sluice run against a forged git object', () => {
  it('ends blocked, naming the object, when the agent rewrites the base test in the object store as its first act', async () => {
    const repo = await brokenAdderRepo();
    const blob = await git(repo, 'rev-parse', 'HEAD:test/add.test.js');
    const script = join(tempDir('sluice-forger-'), 'agent.mjs');
    writeFileSync(script, forgingAgent(blob));
    const run = await runSluice(
      [
        'run',
        'Make add() add',
        '--agent',
        'command',
        '--agent-command',
        `'${process.execPath}' '${script}'`,
        '--prompt-via',
        'stdin',
        '--max-iterations',
        '2',
      ],
      { cwd: repo },
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain(`git object ${blob} was rewritten`);
    const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? '';
    const show = await runSluice(['show', runId], { cwd: repo });
    expect(show.stdout).toContain(`run ${runId}: blocked`);
  });
});
