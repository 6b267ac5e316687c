import { describe, expect, it } from 'vitest';
import { runInstalledTool, runScript, toolAtEnd, vitestRunsOnce } from '../../../src/config/init/script-command.ts';

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
    ['mocha', undefined],
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
