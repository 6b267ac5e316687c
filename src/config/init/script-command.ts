import type { PackageManager } from './stack-detection.ts';

/** The tools whose output Sluice knows how to make exact; `node-test` is `node --test`, Node's test runner. */
export type KnownTool = 'vitest' | 'jest' | 'eslint' | 'biome' | 'tsc' | 'node-test';

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
  const words = lastCommand(script).split(/\s+/);
  for (const [index, token] of words.entries()) {
    if (token === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(token) || token.startsWith('-')) continue;
    const program = programName(token);
    if (program === 'node' && nodeTestArgs(words.slice(index + 1))) return 'node-test';
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

/** Node options whose value is the next word (`--import tsx`): the value is not a script or a pattern. */
const nodeOptionsWithValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);

/**
 * When the words after `node` start its test runner (`--test` before any script), the words that are not
 * options: the test file patterns. Node reads no options after the first of them.
 */
function nodeTestArgs(args: readonly string[]): { patterns: string[] } | undefined {
  const patterns: string[] = [];
  let testRunner = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index] ?? '';
    if (word === '--test') testRunner = true;
    else if (nodeOptionsWithValue.has(word)) index++;
    else if (word !== '' && !word.startsWith('-')) {
      // `node script.js --test` passes --test to the script.
      if (!testRunner) return undefined;
      patterns.push(word);
    }
  }
  return testRunner ? { patterns } : undefined;
}

/** The test file patterns of the `node --test` that ends `script` (empty when it names none). */
export function nodeTestPatterns(script: string): string[] {
  const words = lastCommand(script).split(/\s+/);
  const nodeAt = words.findIndex((word) => programName(word) === 'node');
  return nodeAt === -1 ? [] : (nodeTestArgs(words.slice(nodeAt + 1))?.patterns ?? []);
}

/** Whether `node --test` loads TypeScript itself, through a loader (`--import tsx`) or type stripping. */
export function nodeTestLoadsTypeScript(script: string): boolean {
  return /--experimental-(strip|transform)-types|(--import|--require|-r|--loader|--experimental-loader)[\s=]+["']?(tsx|ts-node|@swc-node|esbuild-register|@esbuild-kit|@babel\/register)\b/.test(
    lastCommand(script),
  );
}

/** A script that is one plain `tsc` call: the tsconfig it compiles, and how. */
export interface PlainTscRun {
  project: string;
  /** `tsc -b`: also compiles the projects the tsconfig references. */
  buildMode: boolean;
}

/**
 * What a script made of one `tsc` call compiles; undefined for anything else (a chain, vue-tsc, any flag
 * besides --noEmit, -p and -b, since flags like --noCheck or --strict change what is checked).
 */
export function plainTscRun(script: string): PlainTscRun | undefined {
  const command = script.trim();
  if (lastCommand(command) !== command) return undefined;
  const words = command.split(/\s+/);
  let index = words.findIndex((word) => !launchers.has(programName(word)));
  if (index === -1 || programName(words[index] ?? '') !== 'tsc') return undefined;
  let project = 'tsconfig.json';
  let buildMode = false;
  for (index++; index < words.length; index++) {
    const word = words[index] ?? '';
    const next = words[index + 1];
    // --noEmit changes what is written, not what is checked.
    if (word === '--noEmit') continue;
    if ((word === '-p' || word === '--project') && next !== undefined) {
      project = next;
      index++;
    } else if (word === '-b' || word === '--build') {
      buildMode = true;
      if (next !== undefined && !next.startsWith('-')) {
        project = next;
        index++;
      }
    } else return undefined;
  }
  return { project: tsconfigPath(project), buildMode };
}

/** `-p .`, `-p ./src/` and `-p tsconfig.json` name a tsconfig file; spell each the one way. */
function tsconfigPath(project: string): string {
  const path = project.replace(/^\.\//, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return 'tsconfig.json';
  return path.endsWith('.json') ? path : `${path}/tsconfig.json`;
}

/** `node_modules/.bin/jest.js` → `jest`. */
function programName(word: string): string {
  return (word.split('/').pop() ?? word).replace(/\.(c|m)?js$/, '');
}

/** Whether a vitest command already runs once instead of watching. */
export function vitestRunsOnce(command: string): boolean {
  return /(^|\s)(run|--run)(\s|$)/.test(lastCommand(command));
}
