import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirSync } from '../../../src/config/sluice-folder.ts';
import { lockChecks } from '../../../src/gates/check-lock.ts';
import { ensureSluiceDir } from '../../../src/gates/sluice-dir.ts';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { git, gitdir } from '../../support/gitdir.ts';

/** What `git add -A` would commit under `.sluice/`. */
async function stagedSluiceFiles(repo: string): Promise<string[]> {
  await git(repo, 'add', '-A');
  const staged = await git(repo, 'diff', '--cached', '--name-only');
  return staged.split('\n').filter((path) => path.includes('.sluice'));
}

describe("the main checkout's .sluice/ is ignored by git however it was first created", () => {
  const creators: Array<[string, (repo: string) => Promise<void>]> = [
    ['a check (ensureSluiceDir)', async (repo) => void (await ensureSluiceDir(repo))],
    ['the check lock', async (repo) => (await lockChecks(repo)).release()],
    [
      'the run store of sluice run / work',
      async (repo) => {
        const store = await RunStore.open(runStorePath(repo));
        await store.close();
      },
    ],
    ['a nested folder such as a run transcript', async (repo) => makeDirSync(join(repo, '.sluice', 'runs', 'r1'))],
    [
      'a config in a subfolder',
      async (repo) => {
        const store = await RunStore.open(runStorePath(join(repo, 'app')));
        await store.close();
      },
    ],
  ];

  it.each(creators)('when created by %s', async (name, create) => {
    const repo = await gitdir();
    await create(repo);
    for (const folder of [join(repo, '.sluice'), join(repo, 'app', '.sluice')]) {
      mkdirSync(join(folder, 'runs'), { recursive: true });
      writeFileSync(join(folder, 'runs', 'transcript.jsonl'), '{"secret":1}\n');
    }
    // The subfolder case creates only app/.sluice; the others only .sluice: ignore the one not made.
    writeFileSync(join(repo, '.gitignore'), name.includes('subfolder') ? '/.sluice/\n' : '/app/\n');
    expect(await stagedSluiceFiles(repo)).toEqual([]);
  });

  it('repairs a .sluice/ left without its .gitignore (an older Sluice, or deleted)', async () => {
    const repo = await gitdir();
    mkdirSync(join(repo, '.sluice'));
    writeFileSync(join(repo, '.sluice', 'sluice.db'), '');
    const store = await RunStore.open(runStorePath(repo));
    await store.close();
    expect(await stagedSluiceFiles(repo)).toEqual([]);
  });
});

describe('workflow files under .sluice/workflows/', () => {
  it('are committed by git add -A, while everything else Sluice keeps there is not', async () => {
    const repo = await gitdir();
    await ensureSluiceDir(repo);
    mkdirSync(join(repo, '.sluice', 'workflows', 'parts'), { recursive: true });
    writeFileSync(join(repo, '.sluice', 'workflows', 'plan.yaml'), 'steps: {}\n');
    writeFileSync(join(repo, '.sluice', 'workflows', 'parts', 'nested.yaml'), 'steps: {}\n');
    writeFileSync(join(repo, '.sluice', 'sluice.db'), '');
    expect(await stagedSluiceFiles(repo)).toEqual([
      '.sluice/workflows/parts/nested.yaml',
      '.sluice/workflows/plan.yaml',
    ]);
  });

  it('brings the .gitignore an earlier Sluice wrote up to date', async () => {
    const repo = await gitdir();
    mkdirSync(join(repo, '.sluice', 'workflows'), { recursive: true });
    writeFileSync(
      join(repo, '.sluice', '.gitignore'),
      '# Written by Sluice: logs, reports, cache, the run store and transcripts are not for git.\n*\n',
    );
    writeFileSync(join(repo, '.sluice', 'workflows', 'plan.yaml'), 'steps: {}\n');
    await ensureSluiceDir(repo);
    expect(await stagedSluiceFiles(repo)).toEqual(['.sluice/workflows/plan.yaml']);
  });
});
