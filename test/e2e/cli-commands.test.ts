import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, runSluice, sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

describe('sluice init', () => {
  it('writes sluice.yaml, says what it found and guessed, and refuses to overwrite without --force', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'package.json': JSON.stringify({
        scripts: { test: 'vitest run', lint: 'eslint .' },
        devDependencies: { vitest: '1' },
      }),
      'package-lock.json': '{}',
      '.gitignore': 'node_modules/\n',
    });
    const first = await runSluice(['init'], { cwd: dir });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`Wrote ${join(dir, 'sluice.yaml')}`);
    expect(first.stdout).toContain('Added .sluice/ to .gitignore');
    expect(first.stdout).toContain('Found:\n');
    expect(first.stdout).toContain('\n  package.json script test → vitest run\n');
    expect(first.stdout).toContain('Guessed (check these):');
    const written = readFileSync(join(dir, 'sluice.yaml'), 'utf8');
    expect(written).toContain('  test:\n');

    const again = await runSluice(['init'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('exists; run "sluice init --force" to overwrite it');
    expect(readFileSync(join(dir, 'sluice.yaml'), 'utf8')).toBe(written);

    expect((await runSluice(['init', '--force'], { cwd: dir })).exitCode).toBe(0);
  });

  it('writes a config that `sluice check` accepts', async () => {
    const dir = tempDir();
    writeFiles(dir, { Makefile: 'test:\n\t@echo ok\n' });
    expect((await runSluice(['init'], { cwd: dir })).exitCode).toBe(0);
    const check = await runSluice(['check'], { cwd: dir });
    expect(check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  });
});

describe('sluice schema, --help and --version', () => {
  it('prints the committed JSON Schema', async () => {
    const run = await runSluice(['schema'], { cwd: repoRoot });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(readFileSync(join(repoRoot, 'schema/sluice.schema.json'), 'utf8')),
    );
  });

  it('explains the commands and exit codes', async () => {
    const help = await runSluice(['--help'], { cwd: repoRoot });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('check       Run the gates of sluice.yaml');
    const checkHelp = await runSluice(['check', '--help'], { cwd: repoRoot });
    expect(checkHelp.stdout).toContain('--feedback');
    expect(checkHelp.stdout).toContain('--no-cache');
    const none = await runSluice([], { cwd: repoRoot });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('Usage: sluice <command>');
    const typo = await runSluice(['chek'], { cwd: repoRoot });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('unknown command "chek"; did you mean "check"?');
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await runSluice(['--version'], { cwd: repoRoot })).stdout.trim()).toBe(version);
  });
});

describe('output to a reader that goes away', () => {
  it('does not crash when stdout closes early (sluice check | head -c 1)', async () => {
    const dir = tempDir();
    // b finishes after head has read its byte and gone, so its line meets a closed pipe.
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n  b: { run: "sleep 0.5" }\n' });
    const { stderr } = await promisify(execFile)(
      'sh',
      ['-c', `'${process.execPath}' '${sluiceBin}' check --no-cache | head -c 1 >/dev/null`],
      { cwd: dir, env: { ...process.env, CI: '1' } },
    );
    expect(stderr).toBe('');
  });
});
