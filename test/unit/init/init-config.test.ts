import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initConfig } from '../../../src/config/init/init-config.ts';
import { readConfig, removeTempRepos, tempRepo, writtenConfigPath } from './fixture-repo.ts';

afterEach(removeTempRepos);

describe('initConfig and an existing config', () => {
  it('returns exists on a second run and leaves the file byte-identical', async () => {
    const dir = await tempRepo('node-vitest-ts');
    const path = await writtenConfigPath(dir);
    await writeFile(path, `${await readFile(path, 'utf8')}# my own edit\n`);
    const before = await readFile(path);

    expect(await initConfig({ dir })).toEqual({ status: 'exists', path });
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it('treats sluice.yml as an existing config too', async () => {
    const dir = await tempRepo('go');
    await writeFile(join(dir, 'sluice.yml'), 'version: 1\n');
    expect(await initConfig({ dir })).toEqual({ status: 'exists', path: join(dir, 'sluice.yml') });
  });

  it('overwrites with force', async () => {
    const dir = await tempRepo('go');
    const path = join(dir, 'sluice.yaml');
    await writeFile(path, 'gates: {}\n');
    const result = await initConfig({ dir, force: true });
    expect(result.status).toBe('written');
    const { config } = await readConfig(path);
    expect(Object.keys(config.gates)).toEqual(['vet', 'test']);
  });
});

describe('initConfig and .gitignore', () => {
  it('appends .sluice/ to a .gitignore that lacks it, keeping the last line intact', async () => {
    const dir = await tempRepo('rust');
    await writeFile(join(dir, '.gitignore'), 'target/\n*.log');
    const result = await initConfig({ dir });
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('target/\n*.log\n.sluice/\n');
    expect(result.status === 'written' && result.actions).toContain('added .sluice/ to .gitignore');
  });

  it('leaves a .gitignore that already ignores .sluice alone', async () => {
    const dir = await tempRepo('rust');
    await writeFile(join(dir, '.gitignore'), 'target/\n/.sluice\n');
    const result = await initConfig({ dir });
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('target/\n/.sluice\n');
    expect(result.status === 'written' && result.actions).toEqual([`wrote ${join(dir, 'sluice.yaml')}`]);
  });

  it('does not create a .gitignore', async () => {
    const dir = await tempRepo('rust');
    await initConfig({ dir });
    await expect(readFile(join(dir, '.gitignore'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
