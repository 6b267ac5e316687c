import type { PackageManager } from './stack-detection.ts';

/**
 * The tools `sluice init` recognizes in a script: `node-test` is `node --test`, Node's test runner; `node-tap` is
 * the `tap` package; `bun-test` and `deno-test` are `bun test` and `deno test`. Formatters count when they check.
 * Checkers with no report Sluice reads (standard, stylelint, tsd, tstyche) are known all the same: so that a chain
 * like `xo && ava && tsd` splits into one gate per tool, and ava gets its exact report.
 */
export const knownTools = [
  'vitest',
  'jest',
  'eslint',
  'biome',
  'tsc',
  'node-test',
  'ava',
  'mocha',
  'node-tap',
  'uvu',
  'bun-test',
  'deno-test',
  'prettier',
  'dprint',
  'xo',
  'standard',
  'stylelint',
  'tsd',
  'tstyche',
] as const;
export type KnownTool = (typeof knownTools)[number];

/** Launchers that only start the real program: `npx vitest`, `pnpm exec jest`, `cross-env CI=1 jest`, `c8 ava`. */
const launchers = new Set(['npx', 'bunx', 'pnpm', 'yarn', 'bun', 'exec', 'x', 'dlx', 'cross-env', 'node', 'c8', 'nyc']);

/** Programs that are the tool itself, by the name of their bin. */
const toolPrograms = new Map<string, KnownTool>(
  Object.entries({
    vitest: 'vitest',
    jest: 'jest',
    eslint: 'eslint',
    biome: 'biome',
    tsc: 'tsc',
    'vue-tsc': 'tsc',
    // TypeScript 7's native compiler (@typescript/native-preview): tsc's options and tsc's output.
    tsgo: 'tsc',
    ava: 'ava',
    mocha: 'mocha',
    _mocha: 'mocha',
    tap: 'node-tap',
    uvu: 'uvu',
    prettier: 'prettier',
    dprint: 'dprint',
    xo: 'xo',
    standard: 'standard',
    stylelint: 'stylelint',
    tsd: 'tsd',
    tstyche: 'tstyche',
  } satisfies Record<string, KnownTool>),
);

/** The command that runs package.json script `script`, passing `extraArgs` on to it. */
export function runScript(manager: PackageManager, name: string, extraArgs = ''): string {
  const args = extraArgs ? ` ${extraArgs}` : '';
  const script = shellWord(name);
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

/**
 * A script name as one shell word: names are any text in package.json (`lint:$(curl x)`), and the gate runs in
 * sh, so anything beyond plain characters is single-quoted.
 */
function shellWord(name: string): string {
  return /^[A-Za-z0-9_.:@/+=,-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
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
  return toolOf(lastCommand(script));
}

/** The known tool one simple command (no `&&`, `|`, `;`) runs, if any. */
export function toolOf(command: string): KnownTool | undefined {
  const words = command.trim().split(/\s+/);
  for (const [index, token] of words.entries()) {
    if (token === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(token) || token.startsWith('-')) continue;
    const program = programName(token);
    const next = words[index + 1];
    if (program === 'node' && nodeTestArgs(words.slice(index + 1))) return 'node-test';
    // `bun test` and `deno test` are runners of their own; `bun run x` and `bunx` only launch.
    if (program === 'bun' && next === 'test') return 'bun-test';
    if (program === 'deno') return next === 'test' ? 'deno-test' : undefined;
    if (launchers.has(program)) continue;
    return toolPrograms.get(program);
  }
  return undefined;
}

/** The program a simple command starts, after environment assignments: `CI=1 jest` → `jest`. */
export function commandProgram(command: string): string | undefined {
  const word = command
    .trim()
    .split(/\s+/)
    .find((token) => token !== '' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(token));
  return word === undefined ? undefined : programName(word);
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

/** The options that say what a tool checks: the tsconfig of tsc, the config or project of a test runner. */
const targetOptions: Partial<Record<KnownTool, ReadonlySet<string>>> = {
  tsc: new Set(['-p', '--project', '-b', '--build']),
  vitest: new Set(['-c', '--config', '--project', '-r', '--root', '--dir']),
  jest: new Set(['-c', '--config', '--selectProjects', '--rootDir']),
  eslint: new Set(['-c', '--config']),
};

/**
 * What one tool command checks, by the options that pick it (`tsc -p playground` → `playground/tsconfig.json`;
 * `vitest run -c e2e.config.ts` → `e2e.config.ts`): two runs of a tool on different targets check different
 * files, so neither stands in for the other. Empty when no such option is given (tsc: its default tsconfig).
 */
export function commandTarget(command: string): string {
  const tool = toolOf(command);
  const options = tool ? targetOptions[tool] : undefined;
  if (!tool || !options) return '';
  const words = command.trim().split(/\s+/);
  const targets: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const [option = '', inline] = word.split(/=(.*)/s);
    const next = words[index + 1];
    if (!options.has(option)) continue;
    if (inline !== undefined) targets.push(inline);
    else if (next !== undefined && !next.startsWith('-')) {
      targets.push(next);
      index++;
    }
  }
  const spelled = targets.map((target) =>
    tool === 'tsc' ? tsconfigPath(target) : target.replace(/^\.\//, '').replace(/^(["'])(.*)\1$/, '$2'),
  );
  if (tool === 'tsc' && spelled.length === 0) return 'tsconfig.json';
  return spelled.join(' ');
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
