import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defaultGuardConfig } from '../../../src/config/guard-defaults.ts';
import { guardSchema } from '../../../src/config/guard-schema.ts';
import { git } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';
import { repoForCase } from '../../unit/guard/tamper-case.ts';

/** A folder removed when the current test finishes. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * NODE_OPTIONS that make every parser the guard may load fail to resolve (ast-grep and its grammars, yaml, zod,
 * smol-toml): a command that still succeeds under it loaded none of them.
 */
function withoutParsers(): Record<string, string> {
  const hook = join(tempDir('sluice-no-parsers-'), 'no-parsers.mjs');
  writeFileSync(
    hook,
    [
      "import module from 'node:module';",
      'const parsers = /^(?:@ast-grep\\/.*|yaml|zod|smol-toml)(?:\\/.*)?$/;',
      'module.registerHooks({',
      '  resolve(specifier, context, next) {',
      "    if (parsers.test(specifier)) throw new Error('parser loaded: ' + specifier);",
      '    return next(specifier, context);',
      '  },',
      '});',
      '',
    ].join('\n'),
  );
  return { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` };
}

describe('sluice guard: what an empty diff costs', () => {
  it('loads no parser when nothing changed, sluice.yaml and test files present, and needs them once something did', async () => {
    const cwd = await repoForCase('vitest-expect-commented-out');
    writeFileSync(join(cwd, 'sluice.yaml'), 'version: 1\ngates:\n  test:\n    run: "true"\n');
    const tampered = readFileSync(join(cwd, 'test/total.spec.ts'), 'utf8');
    await git(cwd, 'checkout', '--', 'test/total.spec.ts');
    await git(cwd, 'add', '-A');
    await git(cwd, 'commit', '--quiet', '--no-verify', '-m', 'sluice.yaml');
    const env = withoutParsers();

    const clean = await runSluice(['guard'], { cwd, env });
    expect(clean.stderr).toBe('');
    expect(clean.exitCode).toBe(0);
    expect(clean.stdout).toContain('no weakened tests');

    // The same hook with a change to judge: the guard needs its parsers, so the hook is what stops it.
    writeFileSync(join(cwd, 'test/total.spec.ts'), tampered);
    const changed = await runSluice(['guard'], { cwd, env });
    expect(changed.exitCode).not.toBe(0);
    expect(changed.stderr).toContain('parser loaded');
    const judged = await runSluice(['guard'], { cwd });
    expect(judged.exitCode).toBe(1);
    expect(judged.stdout).toContain('test/total.spec.ts:8 assertions-removed: ');
  });

  it('keeps the defaults it holds apart from the schema equal to what the schema gives', () => {
    expect(defaultGuardConfig).toEqual(guardSchema.parse({}));
  });
});

describe('sluice guard: the cache of the base tests', () => {
  it('gives the same findings from the cache, and ignores entries it cannot read', async () => {
    const cwd = await repoForCase('vitest-expect-commented-out');
    const cache = tempDir('sluice-guard-cache-');
    const env = { XDG_CACHE_HOME: cache };
    const guard = async (extra: Record<string, string> = {}) => {
      const result = await runSluice(['guard', '--json'], { cwd, env: { ...env, ...extra } });
      expect(result.exitCode).toBe(1);
      const { findings } = JSON.parse(result.stdout) as { findings: unknown[] };
      expect(findings).toMatchObject([{ rule: 'assertions-removed', path: 'test/total.spec.ts', line: 8 }]);
      return findings;
    };
    const uncached = await guard({ SLUICE_GUARD_CACHE: 'off' });
    const entries = () =>
      readdirSync(join(cache, 'sluice'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(() => entries()).toThrow();

    expect(await guard()).toEqual(uncached); // fills the cache, without the forms
    expect(entries().length).toBeGreaterThan(0);
    expect(await guard()).toEqual(uncached); // forms read from a parse, written back
    expect(await guard()).toEqual(uncached); // all from the cache

    for (const entry of entries()) writeFileSync(join(entry.parentPath, entry.name), '{"tests": [');
    expect(await guard()).toEqual(uncached);
  });
});
