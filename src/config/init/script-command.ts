import type { PackageManager } from './stack-detection.ts';

/** The tools whose output Sluice knows how to make exact. */
export type KnownTool = 'vitest' | 'jest' | 'eslint' | 'biome' | 'tsc';

/** Launchers that only start the real program: `npx vitest`, `pnpm exec jest`, `cross-env CI=1 jest`. */
const launchers = new Set(['npx', 'bunx', 'pnpm', 'yarn', 'bun', 'exec', 'x', 'dlx', 'cross-env', 'node']);

/** The command that runs package.json script `script`, passing `extraArgs` on to it. */
export function runScript(manager: PackageManager, script: string, extraArgs = ''): string {
  const args = extraArgs ? ` ${extraArgs}` : '';
  switch (manager) {
    case 'npm':
      return `npm run ${script}${args ? ` --${args}` : ''}`;
    case 'pnpm':
      return `pnpm run ${script}${args}`;
    case 'yarn':
      return `yarn ${script}${args}`;
    case 'bun':
      return `bun run ${script}${args}`;
  }
}

/** The command that runs a tool installed in node_modules/.bin. */
export function runInstalledTool(manager: PackageManager, command: string): string {
  switch (manager) {
    case 'npm':
      return `npx ${command}`;
    case 'pnpm':
      return `pnpm exec ${command}`;
    case 'yarn':
      return `yarn ${command}`;
    case 'bun':
      return `bunx ${command}`;
  }
}

/** The last command of a shell script line: the one that receives arguments appended to the script. */
export function lastCommand(script: string): string {
  const parts = script.split(/&&|\|\||[;|&]/);
  return (parts[parts.length - 1] ?? '').trim();
}

/** The known tool the last command of `script` runs, if any; arguments appended to the script reach it. */
export function toolAtEnd(script: string): KnownTool | undefined {
  for (const token of lastCommand(script).split(/\s+/)) {
    if (token === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(token) || token.startsWith('-')) continue;
    const program = (token.split('/').pop() ?? token).replace(/\.(c|m)?js$/, '');
    if (launchers.has(program)) continue;
    if (program === 'vue-tsc') return 'tsc';
    if (
      program === 'vitest' ||
      program === 'jest' ||
      program === 'eslint' ||
      program === 'biome' ||
      program === 'tsc'
    ) {
      return program;
    }
    return undefined;
  }
  return undefined;
}

/** Whether a vitest command already runs once instead of watching. */
export function vitestRunsOnce(command: string): boolean {
  return /(^|\s)(run|--run)(\s|$)/.test(lastCommand(command));
}
