import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, runSluice, sluiceBin } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

/** The command names as `sluice --help` lists them: every command the CLI dispatches. */
async function listedCommands(): Promise<string[]> {
  const help = await runSluice(['--help'], { cwd: repoRoot });
  const section = help.stdout.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').map((line) => line.trim().split(/\s+/)[0] ?? '');
}

describe('flag errors', () => {
  it('every command refuses an unknown flag with exit 2 and names it, before doing anything', async () => {
    const commands = await listedCommands();
    expect(commands).toContain('check');
    expect(commands).toContain('completion');
    expect(commands.length).toBeGreaterThanOrEqual(22);
    const dir = tempDir();
    for (const command of commands) {
      const result = await runSluice([command, '--no-such-flag'], { cwd: dir });
      expect({ command, exitCode: result.exitCode }).toEqual({ command, exitCode: 2 });
      expect(result.stderr).toContain('--no-such-flag');
      expect(result.stderr).not.toContain('internal error');
      expect(result.stdout).toBe('');
    }
  });

  it('suggests the flag that was meant', async () => {
    const dir = tempDir();
    const typo = await runSluice(['check', '--jsno'], { cwd: dir });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('sluice: unknown flag --jsno (did you mean --json?); see "sluice check --help"');
    const guard = await runSluice(['guard', '--bsae', 'main'], { cwd: dir });
    expect(guard.exitCode).toBe(2);
    expect(guard.stderr).toContain('did you mean --base?');
    const far = await runSluice(['status', '--zzzzzzzzzz'], { cwd: dir });
    expect(far.exitCode).toBe(2);
    expect(far.stderr).toContain('unknown flag --zzzzzzzzzz');
    expect(far.stderr).not.toContain('did you mean');
  });

  it('refuses a flag without its value, long or short', async () => {
    const dir = tempDir();
    for (const args of [
      ['check', '--dir'],
      ['check', '-C'],
      ['run', 'goal', '--agent'],
      ['review', 'reject', 'x', '--reason'],
    ]) {
      const result = await runSluice(args, { cwd: dir });
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 });
      expect(result.stderr).toMatch(/--[a-z-]+ needs a value/);
    }
  });

  it('refuses a number flag that is not a whole number in range, naming flag and value', async () => {
    const dir = tempDir();
    const cases: Array<[string[], string]> = [
      [['check', '-j', 'abc'], '--concurrency expects a whole number >= 1, got "abc"'],
      [['check', '--concurrency', '0'], '--concurrency expects a whole number >= 1, got "0"'],
      [['check', '--concurrency=1.5'], '--concurrency expects a whole number >= 1, got "1.5"'],
      [['check', '--max-tier', '-1'], '--max-tier expects a whole number >= 0'],
      [['check', '--budget', '50'], '--budget expects a whole number >= 200, got "50"'],
      [['runs', '--limit', ''], '--limit expects a whole number >= 1, got ""'],
      [['trend', '-n', '2x'], '--last expects a whole number >= 1, got "2x"'],
      [['serve', '--port', 'http'], '--port expects a whole number >= 0, got "http"'],
    ];
    for (const [args, message] of cases) {
      const result = await runSluice(args, { cwd: dir });
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 });
      expect(result.stderr).toContain(message);
    }
  });

  it('refuses an enum value outside its set and an argument a command does not take', async () => {
    const dir = tempDir();
    const by = await runSluice(['usage', '--by', 'week'], { cwd: dir });
    expect(by.exitCode).toBe(2);
    expect(by.stderr).toContain('--by expects one of model, day, run, got "week"');
    // A value given to a switch is refused, not read as "off": `--no-cache=0` must not turn the cache back on.
    for (const args of [
      ['check', '--json=false'],
      ['check', '--no-cache=0'],
    ]) {
      const switched = await runSluice(args, { cwd: dir });
      expect({ args, exitCode: switched.exitCode }).toEqual({ args, exitCode: 2 });
      expect(switched.stderr).toContain('does not take an argument');
    }
    const extra = await runSluice(['guard', 'HEAD~1'], { cwd: dir });
    expect(extra.exitCode).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "HEAD~1"; see "sluice guard --help"');
  });

  it('takes values as Node did: -j4, --flag=value, repeated flags, flags after words', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sluice.yaml': 'gates:\n  a: { run: "true" }\n  b: { run: "true", tier: 2 }\n' });
    const attached = await runSluice(['check', '-j1', '--json', '--max-tier=1', '-ga'], { cwd: dir });
    expect(attached.exitCode).toBe(0);
    const json = JSON.parse(attached.stdout) as { gates: Array<{ name: string }> };
    expect(json.gates.map((gate) => gate.name)).toEqual(['a']);
    const twice = await runSluice(['check', '--json', '-g', 'a', '--gate', 'b', '--no-cache'], { cwd: dir });
    expect(twice.exitCode).toBe(0);
    expect((JSON.parse(twice.stdout) as { gates: unknown[] }).gates).toHaveLength(2);
  });
});

describe('generated help', () => {
  it('every command prints its help on --help and -h: usage, its summary, every flag', async () => {
    const help = (await runSluice(['--help'], { cwd: repoRoot })).stdout;
    for (const command of await listedCommands()) {
      const long = await runSluice([command, '--help'], { cwd: repoRoot });
      expect({ command, exitCode: long.exitCode, stderr: long.stderr }).toEqual({ command, exitCode: 0, stderr: '' });
      expect(long.stdout).toContain(`sluice ${command}`);
      const summary = help.split('\n').find((line) => line.trim().startsWith(`${command} `));
      expect(long.stdout).toContain(summary?.trim().slice(command.length).trim());
      const short = await runSluice([command, '-h'], { cwd: repoRoot });
      expect(short.stdout).toBe(long.stdout);
    }
  });

  it('keeps what the hand-written help said: flags with their values, notes and exit codes', async () => {
    const check = (await runSluice(['check', '--help'], { cwd: repoRoot })).stdout;
    for (const flag of ['--dir path', '--config file', '--gate name', '--max-tier n', '--no-cache', '--commit ref']) {
      expect(check).toContain(flag);
    }
    expect(check).toContain('-j [--concurrency]');
    expect(check).toContain('Size limit of the feedback, >= 200 (default: config, else 4000)');
    expect(check).toContain('Full logs: .sluice/logs/<gate>.log.');
    expect(check).toContain('Exit: 0 passed, 1 a blocking gate failed, 2 usage or config error, 70 internal error');
    const review = await runSluice(['review'], { cwd: repoRoot });
    expect(review.exitCode).toBe(2);
    expect(review.stderr).toContain('approve <id> [--onto <branch>]');
    for (const line of check.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('sluice completion', () => {
  it('prints a script for bash, zsh and fish that asks `sluice completion complete`, and refuses other shells', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = await runSluice(['completion', shell], { cwd: repoRoot });
      expect(script.exitCode).toBe(0);
      expect(script.stdout).toContain('sluice completion complete --');
    }
    const bash = (await runSluice(['completion', 'bash'], { cwd: repoRoot })).stdout;
    const dir = tempDir();
    writeFileSync(join(dir, 'sluice.bash'), bash);
    await promisify(execFile)('bash', ['-n', join(dir, 'sluice.bash')]);
    const other = await runSluice(['completion', 'tcsh'], { cwd: repoRoot });
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain('sluice completion needs one shell: bash, zsh, fish');
  });

  it('completes commands, then the typed command’s flags and enum values', async () => {
    const complete = async (...words: string[]) =>
      (await runSluice(['completion', 'complete', '--', ...words], { cwd: repoRoot })).stdout
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith(':'))
        .map((line) => line.split('\t')[0]);
    expect(await complete('ch')).toEqual(['check']);
    expect(await complete('re')).toEqual(['resume', 'review']);
    expect(await complete('check', '--ma')).toEqual(['--max-tier']);
    expect(await complete('check', '--no')).toEqual(['--no-cache']);
    expect(await complete('guard', '--')).toEqual(['--dir', '--base', '--json', '--help']);
    expect(await complete('usage', '--by', '')).toEqual(['model', 'day', 'run']);
  });

  it('drives bash: the script sourced, Tab on a partial flag offers the flag', async () => {
    const dir = tempDir();
    // The script calls `sluice` by name, as an installed CLI is called.
    const bin = join(dir, 'bin');
    writeFiles(bin, { sluice: `#!/bin/sh\nexec '${process.execPath}' '${sluiceBin}' "$@"\n` });
    chmodSync(join(bin, 'sluice'), 0o755);
    // bash-completion's word splitter is not installed here; this stand-in does what its docs say.
    const script = `
_get_comp_words_by_ref() { words=("\${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=\${COMP_WORDS[COMP_CWORD]}; prev=\${COMP_WORDS[COMP_CWORD-1]}; }
compopt() { :; }
source <(sluice completion bash)
COMP_WORDS=(sluice check --max); COMP_CWORD=2; __sluice_complete; echo "\${COMPREPLY[@]}"
COMP_WORDS=(sluice usage --by ""); COMP_CWORD=3; __sluice_complete; echo "\${COMPREPLY[@]}"
`;
    const { stdout } = await promisify(execFile)('bash', ['-c', script], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(stdout).toBe('--max-tier\nmodel day run\n');
  });
});
