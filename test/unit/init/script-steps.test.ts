import { describe, expect, it } from 'vitest';
import { expandScript } from '../../../src/config/init/script-steps.ts';

const npm = { runsHooks: true };
const pnpm = { runsHooks: false };

function commands(scripts: Record<string, string>, name: string, options = npm): string[] | string {
  const expansion = expandScript(scripts, name, options);
  return expansion.kind === 'steps'
    ? expansion.steps.map((step) => `${step.script}: ${step.command}`)
    : expansion.reason;
}

describe('expandScript', () => {
  it('splits a chain on && and follows npm run, pnpm, yarn and bun run into the scripts they name', () => {
    const scripts = {
      test: 'npm run lint && pnpm typecheck && yarn run unit && bun run e2e',
      lint: 'eslint .',
      typecheck: 'tsc --noEmit',
      unit: 'vitest run',
      e2e: 'playwright test',
    };
    expect(commands(scripts, 'test')).toEqual([
      'lint: eslint .',
      'typecheck: tsc --noEmit',
      'unit: vitest run',
      'e2e: playwright test',
    ]);
  });

  it('runs npm pre and post scripts around a script, only when the manager does', () => {
    const scripts = { pretest: 'npm run build', test: 'node --test', posttest: 'c8 report', build: 'tsc' };
    expect(commands(scripts, 'test')).toEqual(['build: tsc', 'test: node --test', 'posttest: c8 report']);
    expect(commands(scripts, 'test', pnpm)).toEqual(['test: node --test']);
  });

  it('expands run-s and npm-run-all globs in package.json order, one colon level per *', () => {
    const scripts = {
      check: 'run-s lint:* test',
      'lint:js': 'eslint .',
      'lint:css': 'stylelint "**/*.css"',
      'lint:js:fix': 'eslint --fix .',
      test: 'vitest run',
      all: 'npm-run-all -p "lint:**"',
    };
    expect(commands(scripts, 'check')).toEqual([
      'lint:js: eslint .',
      'lint:css: stylelint "**/*.css"',
      'test: vitest run',
    ]);
    expect(commands(scripts, 'all')).toEqual([
      'lint:js: eslint .',
      'lint:css: stylelint "**/*.css"',
      'lint:js:fix: eslint --fix .',
    ]);
  });

  it('leaves a call to a script that has a gate of its own unexpanded, and marks it', () => {
    const scripts = { test: 'npm run build && vitest run', build: 'rimraf dist && tsc' };
    const expansion = expandScript(scripts, 'test', { runsHooks: true, gateScripts: new Set(['build']) });
    expect(expansion).toEqual({
      kind: 'steps',
      steps: [
        { command: 'npm run build', script: 'test', gateScript: 'build' },
        { command: 'vitest run', script: 'test' },
      ],
    });
  });

  it('treats yarn and pnpm followed by a bin name as a command, not a script', () => {
    expect(commands({ lint: 'yarn eslint . && pnpm exec tsc' }, 'lint')).toEqual([
      'lint: yarn eslint .',
      'lint: pnpm exec tsc',
    ]);
  });

  it.each([
    ['a pipe', 'vitest run | tee out.txt', /shell syntax \(\|\)/],
    ['||', 'vitest run || true', /shell syntax/],
    ['a semicolon', 'tsc; vitest run', /shell syntax \(;\)/],
    ['a background job', 'server & vitest run', /shell syntax \(&\)/],
    ['a subshell', '(cd app && vitest run)', /shell syntax/],
    ['a substitution', 'vitest run $(cat files.txt)', /shell syntax/],
    ['a redirection', 'vitest run > out.txt', /shell syntax/],
    ['arguments passed on to a script', 'npm run unit -- --coverage', /passes arguments to script unit/],
    ['a script that is missing', 'npm run nope', /script nope is not in package.json/],
    ['a glob that matches nothing', 'run-s nope:*', /no script matches nope:\*/],
    [
      'an npm-run-all option that changes what runs',
      'npm-run-all --continue-on-error unit',
      /uses --continue-on-error/,
    ],
    ['an unclosed quote', 'vitest run "test', /unclosed quote/],
  ])('keeps a script with %s whole', (_, text, reason) => {
    const expansion = expandScript({ test: text, unit: 'vitest run' }, 'test', npm);
    expect(expansion.kind).toBe('opaque');
    if (expansion.kind === 'opaque') expect(expansion.reason).toMatch(reason);
  });

  it('splits on && inside no quotes only', () => {
    expect(commands({ test: `eslint "a && b" && vitest run` }, 'test')).toEqual([
      'test: eslint "a && b"',
      'test: vitest run',
    ]);
  });

  it('keeps a script whole when scripts call each other in a loop, or nest without end', () => {
    expect(commands({ a: 'npm run b', b: 'npm run a' }, 'a')).toMatch(/script a calls itself/);
    const deep = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`s${index}`, `npm run s${index + 1}`]));
    expect(commands({ ...deep, s10: 'vitest run' }, 's0')).toMatch(/nest deeper/);
  });

  it('does not take a script named after an Object property for a script that exists', () => {
    expect(commands({ test: 'npm run constructor' }, 'test')).toMatch(/script constructor is not in package.json/);
  });
});
