import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitdir } from '../support/gitdir.ts';
import { type CliRun, repoRoot, runNodeScript, runSluice } from '../support/sluice-cli.ts';
import { tempDir } from '../support/temp-dir.ts';

// bin/sluice.js starts `guard`, `check` and `hook` from a CommonJS bundle of their own
// (dist/cli/hot/<name>-command.cjs, scripts/build.mjs), every other command from the ES module CLI
// (dist/cli/main.js). The fast start must answer exactly as the CLI does: the CLI itself is the reference.

const esModuleCli = join(repoRoot, 'dist', 'cli', 'main.js');

/** `node dist/cli/main.js <args>`: the ES module CLI, as bin/sluice.js ran every command before. */
function runEsModuleCli(args: string[], options: { cwd: string; input?: string }): Promise<CliRun> {
  return runNodeScript([esModuleCli, ...args], options);
}

/**
 * The recorder: a module.registerHooks resolve hook (for require and import) that writes every URL to the file
 * LOADED_LIST names. One file for all runs, so NODE_OPTIONS, which a gate's cache key holds, stays the same.
 */
let recorder = '';
beforeAll(() => {
  recorder = join(mkdtempSync(join(tmpdir(), 'sluice-recorder-')), 'record.mjs');
  writeFileSync(
    recorder,
    `import { appendFileSync } from 'node:fs';
import module from 'node:module';
module.registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    appendFileSync(process.env.LOADED_LIST, result.url + '\\n');
    return result;
  },
});
`,
  );
});
afterAll(() => rmSync(dirname(recorder), { recursive: true, force: true }));

/** Every file a run of bin/sluice.js loads, by URL. */
async function loadedBy(args: string[], cwd: string, input?: string): Promise<{ run: CliRun; urls: string[] }> {
  const list = join(tempDir(), 'loaded.txt');
  const env = { NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}`, LOADED_LIST: list };
  const run = await runSluice(args, { cwd, env, ...(input === undefined ? {} : { input }) });
  const urls = readFileSync(list, 'utf8').split('\n').filter(Boolean);
  return { run, urls };
}

describe('the fast start of the hot commands', () => {
  it('answers every refused line, help and run exactly as the ES module CLI does', async () => {
    const repo = await gitdir({
      files: {
        'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n',
        'test/a.test.js': "import test from 'node:test';\ntest('a', () => {});\n",
      },
    });
    const lines: { args: string[]; input?: string }[] = [
      { args: ['guard'] },
      { args: ['guard', '--json'] },
      { args: ['guard', '--bogus'] },
      { args: ['guard', '--bsae', 'main'] },
      { args: ['guard', '--base'] },
      { args: ['guard', '--base', 'no-such-ref'] },
      { args: ['guard', '-C', 'no-such-folder'] },
      { args: ['guard', 'extra'] },
      { args: ['guard', '--help'] },
      { args: ['guard', '-h'] },
      { args: ['check', '--jsno'] },
      { args: ['check', '--concurrency', 'zero'] },
      { args: ['check', '--help'] },
      { args: ['hook'] },
      { args: ['hook', 'bogus'] },
      { args: ['hook', 'stop', '--max-blocks', '-1'] },
      { args: ['hook', '--help'] },
      { args: ['hook', 'stop'], input: '{}' },
      { args: ['hook', 'stop'], input: 'not json' },
      { args: ['hook', 'pre-tool-use'], input: '{"tool_name":"Write","tool_input":{"file_path":"sluice.yaml"}}' },
    ];
    for (const { args, input } of lines) {
      const options = { cwd: repo, ...(input === undefined ? {} : { input }) };
      const [fast, reference] = await Promise.all([runSluice(args, options), runEsModuleCli(args, options)]);
      expect({ args, ...fast }).toEqual({ args, ...reference });
    }
    // The lines above reached the commands' own answers, not a usage error each.
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard).toMatchObject({
      exitCode: 0,
      stdout: 'guard: no weakened tests or protected files changed since HEAD\n',
    });
  });

  it('loads the command bundle alone for a hot command, and the ES module CLI for the others', async () => {
    const repo = await gitdir();
    const hot = await loadedBy(['guard'], repo);
    expect(hot.run.exitCode).toBe(0);
    const ours = hot.urls.filter(
      (url) => url.startsWith(pathToFileURL(repoRoot).href) && !url.includes('/node_modules/'),
    );
    expect(ours.map((url) => url.slice(pathToFileURL(repoRoot).href.length))).toEqual([
      'bin/sluice.js',
      'dist/cli/hot/guard-command.cjs',
    ]);

    const other = await loadedBy(['gaurd'], repo);
    expect(other.run.exitCode).toBe(2);
    expect(other.run.stderr).toContain('sluice: unknown command "gaurd"; did you mean "guard"?');
    expect(other.urls).toContain(pathToFileURL(esModuleCli).href);
    expect(other.urls.some((url) => url.includes('/dist/cli/hot/'))).toBe(false);
  });

  it('loads the lazy half of the guard only for a change, and the two halves share no module', async () => {
    const repo = await gitdir({ files: { 'test/a.test.js': "import test from 'node:test';\ntest('a', () => {});\n" } });
    writeFileSync(join(repo, 'test/a.test.js'), "import test from 'node:test';\ntest.skip('a', () => {});\n");
    const changed = await loadedBy(['guard'], repo);
    expect(changed.run).toMatchObject({ exitCode: 1, stdout: expect.stringContaining('skip-marker-added') });
    const hot = changed.urls.filter((url) => url.includes('/dist/cli/hot/'));
    // Resolved again at each require between the halves: the files, in the order first loaded.
    expect([...new Set(hot.map((url) => url.replace(/.*\/dist\//, 'dist/')))]).toEqual([
      'dist/cli/hot/guard-command.cjs',
      'dist/cli/hot/guard-lazy.cjs',
    ]);
    // Each source module is in one half only (by the halves' source maps): no module, and no state, twice.
    for (const name of ['guard', 'check', 'hook']) {
      const sources = (half: string) =>
        new Set<string>(
          JSON.parse(readFileSync(join(repoRoot, 'dist', 'cli', 'hot', `${name}-${half}.cjs.map`), 'utf8')).sources,
        );
      const [start, lazy] = [sources('command'), sources('lazy')];
      expect(start.size, name).toBeGreaterThan(5);
      expect(lazy.size, name).toBeGreaterThan(5);
      expect(
        [...start].filter((source) => lazy.has(source)),
        name,
      ).toEqual([]);
    }
  });

  it('answers a cached check and a cached Stop hook from the command half alone', async () => {
    const repo = await gitdir({
      files: {
        '.gitignore': '.sluice/\n',
        'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n    inputs: ["*.yaml"]\n',
      },
    });
    const hotFiles = (urls: string[]) => [
      ...new Set(urls.filter((url) => url.includes('/dist/cli/hot/')).map((url) => url.replace(/.*\/dist\//, 'dist/'))),
    ];
    // The first run of each fills the cache; NODE_OPTIONS (the recorder) is part of its key, so it runs recorded too.
    expect((await loadedBy(['check'], repo)).run.exitCode).toBe(0);
    const check = await loadedBy(['check'], repo);
    expect(check.run).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('(1 cached)') });
    expect(hotFiles(check.urls)).toEqual(['dist/cli/hot/check-command.cjs']);

    const stop = JSON.stringify({ session_id: 'fast-start', cwd: repo, hook_event_name: 'Stop' });
    expect((await loadedBy(['hook', 'stop'], repo, stop)).run.exitCode).toBe(0);
    const cached = await loadedBy(['hook', 'stop'], repo, stop);
    expect(cached.run.exitCode).toBe(0);
    expect(hotFiles(cached.urls)).toEqual(['dist/cli/hot/hook-command.cjs']);
  });

  it('builds a strict, placed bundle for each hot command bin/sluice.js names', () => {
    const bin = readFileSync(join(repoRoot, 'bin', 'sluice.js'), 'utf8');
    const named = /const hotCommands = \[([^\]]*)\]/.exec(bin)?.[1]?.match(/[a-z-]+/g) ?? [];
    expect(named).toEqual(['guard', 'check', 'hook']);
    for (const name of named) {
      for (const half of ['command', 'lazy']) {
        const text = readFileSync(join(repoRoot, 'dist', 'cli', 'hot', `${name}-${half}.cjs`), 'utf8');
        // The source is ES modules, which are strict: the directive must open the file to hold.
        expect(text.startsWith("'use strict';\n"), `${name}-${half}`).toBe(true);
        expect(text, `${name}-${half}`).not.toContain('@@sluice-dist-root@@');
      }
    }
  });

  it('takes the bundle when it is there, the ES module CLI when not, and says so when neither is', async () => {
    // A copy of bin/sluice.js beside stand-in builds, so each case is a dist/ of its own.
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    copyFileSync(join(repoRoot, 'bin', 'sluice.js'), join(root, 'bin', 'sluice.js'));
    copyFileSync(join(repoRoot, 'bin', 'package.json'), join(root, 'bin', 'package.json'));
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    const bin = (...args: string[]) => runNodeScript([join(root, 'bin', 'sluice.js'), ...args], { cwd: root });

    const notBuilt = await bin('guard');
    expect(notBuilt).toMatchObject({
      exitCode: 2,
      stderr: 'sluice: the package is not built yet; run `npm run build` in its folder.\n',
    });

    mkdirSync(join(root, 'dist', 'cli', 'hot'), { recursive: true });
    writeFileSync(
      join(root, 'dist', 'cli', 'main.js'),
      "process.stdout.write('es module cli ' + process.argv.slice(2).join(' '));\n",
    );
    // A dist/ built before the bundles: every command from the ES module CLI.
    expect((await bin('guard', '--json')).stdout).toBe('es module cli guard --json');

    writeFileSync(
      join(root, 'dist', 'cli', 'hot', 'guard-command.cjs'),
      "process.stdout.write('bundle ' + process.argv.slice(2).join(' '));\n",
    );
    expect((await bin('guard', '--json')).stdout).toBe('bundle guard --json');
    expect((await bin('status')).stdout).toBe('es module cli status');
    expect((await bin('check')).stdout).toBe('es module cli check');
  });

  it('ends with an internal error, never 0, when a command leaves nothing to wait for and no exit code', async () => {
    // What main.ts's top-level await does for the ES module CLI (Node ends it with 13).
    const dir = tempDir();
    const script = join(dir, 'never-settles.ts');
    const hotStart = pathToFileURL(join(repoRoot, 'src', 'cli', 'hot-start.ts')).href;
    writeFileSync(
      script,
      `import { startHotCommand } from ${JSON.stringify(hotStart)};
const answer = process.argv[3];
startHotCommand({
  command: undefined as never,
  run: () => {
    if (answer === 'exit') setTimeout(() => process.exit(130), 10).unref();
    if (answer === 'never' || answer === 'exit') return new Promise<number>(() => {});
    return Promise.resolve(Number(answer));
  },
});
// Kept alive until the exit, as a second Ctrl-C finds a command that still waits for its gates.
if (answer === 'exit') setInterval(() => {}, 1000);
`,
    );
    const never = await runNodeScript([script, 'hot', 'never'], { cwd: dir });
    expect(never.exitCode).toBe(13);
    expect(never.stderr).toContain('sluice: internal error (please report it): the command ended without an exit code');
    // An exit code set on the way out stands, as it does for main.ts's await.
    const exited = await runNodeScript([script, 'hot', 'exit'], { cwd: dir });
    expect(exited).toMatchObject({ exitCode: 130, stderr: '' });
    const answered = await runNodeScript([script, 'hot', '1'], { cwd: dir });
    expect(answered).toMatchObject({ exitCode: 1, stderr: '' });
  });
});
