import { describe, expect, it } from 'vitest';
import {
  nodeTestLoadsTypeScript,
  nodeTestPatterns,
  plainTscRun,
  runInstalledTool,
  runScript,
  toolAtEnd,
  vitestRunsOnce,
} from '../../../src/config/init/script-command.ts';

describe('runScript and runInstalledTool', () => {
  it('passes extra arguments the way each package manager wants', () => {
    expect(runScript('npm', 'test', '--json')).toBe('npm run test -- --json');
    expect(runScript('pnpm', 'test', '--json')).toBe('pnpm run test --json');
    expect(runScript('yarn', 'test', '--json')).toBe('yarn test --json');
    expect(runScript('bun', 'test', '--json')).toBe('bun run test --json');
    expect(runScript('npm', 'lint')).toBe('npm run lint');
  });

  it('runs installed tools through each manager', () => {
    expect(['npm', 'pnpm', 'yarn', 'bun'].map((manager) => runInstalledTool(manager as 'npm', 'tsc'))).toEqual([
      'npx tsc',
      'pnpm exec tsc',
      'yarn tsc',
      'bunx tsc',
    ]);
  });
});

describe('toolAtEnd', () => {
  it.each([
    ['vitest run', 'vitest'],
    ['CI=1 cross-env NODE_ENV=test jest --ci', 'jest'],
    ['npm run lint:types && npx eslint src', 'eslint'],
    ['pnpm exec biome check .', 'biome'],
    ['vue-tsc --noEmit', 'tsc'],
    ['node_modules/.bin/tsc -b', 'tsc'],
    ['vitest run | tee out.txt', undefined],
    ['jest && node scripts/report.js', undefined],
    ['npm run test:unit', undefined],
    ['yarn test:unit', undefined],
    ['mocha', 'mocha'],
    ['c8 ava --verbose', 'ava'],
    ['nyc --reporter=lcov mocha test/', 'mocha'],
    ['tap test/*.js', 'node-tap'],
    ['uvu tests', 'uvu'],
    ['bun test', 'bun-test'],
    ['bun run test', undefined],
    ['deno test -A', 'deno-test'],
    ['deno lint', undefined],
    ['prettier --check .', 'prettier'],
    ['dprint check', 'dprint'],
    ['constructor', undefined],
    ['node --test', 'node-test'],
    ["node --test 'test/**/*.test.js'", 'node-test'],
    ['node --import tsx --test src/', 'node-test'],
    ['cross-env CI=1 node --experimental-strip-types --test', 'node-test'],
    ['tsc && node --test dist/', 'node-test'],
    ['node scripts/run-tests.js --test', undefined],
    ['node --test-reporter=dot scripts/run.js', undefined],
  ])('%s → %s', (script, tool) => {
    expect(toolAtEnd(script)).toBe(tool);
  });
});

describe('vitestRunsOnce', () => {
  it('tells watch mode from a single run', () => {
    expect(vitestRunsOnce('vitest run')).toBe(true);
    expect(vitestRunsOnce('vitest --run --coverage')).toBe(true);
    expect(vitestRunsOnce('vitest')).toBe(false);
    expect(vitestRunsOnce('vitest --runner ./custom.ts')).toBe(false);
  });
});

describe('nodeTestPatterns', () => {
  it.each([
    ['node --test', []],
    ['node --test --test-concurrency=1', []],
    ['node --import tsx --test', []],
    ['node -r ts-node/register --test', []],
    ["node --test 'src/**/*.test.ts' test/", ["'src/**/*.test.ts'", 'test/']],
    ['tsc && node --test dist/', ['dist/']],
    // A value Sluice cannot tell from a pattern counts as one: the reporters then go in NODE_OPTIONS, which works.
    ['node --test --test-name-pattern slow', ['slow']],
  ])('%s → %j', (script, patterns) => {
    expect(nodeTestPatterns(script)).toEqual(patterns);
  });
});

describe('nodeTestLoadsTypeScript', () => {
  it.each([
    ['node --import tsx --test', true],
    ['node --import=tsx --test', true],
    ['node --loader ts-node/esm --test', true],
    ['node -r @swc-node/register --test', true],
    ['node --experimental-strip-types --test', true],
    ['node --test', false],
    ['node --require dotenv/config --test', false],
  ])('%s → %s', (script, loads) => {
    expect(nodeTestLoadsTypeScript(script)).toBe(loads);
  });
});

describe('plainTscRun', () => {
  it.each([
    ['tsc', { project: 'tsconfig.json', buildMode: false }],
    ['tsc --noEmit', { project: 'tsconfig.json', buildMode: false }],
    ['tsc -p .', { project: 'tsconfig.json', buildMode: false }],
    ['tsc --project ./tsconfig.json', { project: 'tsconfig.json', buildMode: false }],
    ['tsc -p packages/core/', { project: 'packages/core/tsconfig.json', buildMode: false }],
    ['npx tsc -p tsconfig.build.json', { project: 'tsconfig.build.json', buildMode: false }],
    ['tsc -b', { project: 'tsconfig.json', buildMode: true }],
    ['tsc --build tsconfig.app.json', { project: 'tsconfig.app.json', buildMode: true }],
  ])('%s → %j', (script, run) => {
    expect(plainTscRun(script)).toEqual(run);
  });

  it.each([
    'tsc && cp -r assets dist',
    'rimraf dist && tsc',
    'tsc --noCheck',
    'tsc --strict --noEmit',
    'vue-tsc --noEmit',
    'NODE_ENV=production tsc',
    'vite build',
  ])('%s is not a plain tsc run', (script) => {
    expect(plainTscRun(script)).toBeUndefined();
  });
});
