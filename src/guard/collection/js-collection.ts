import { isJsTestFile } from '../js/test-files.ts';
import { commandArgs } from '../runner-config/command-args.ts';
import { type ConfigEntry, configEntries } from '../runner-config/js-config.ts';
import { shellTokens, simpleCommands } from '../runner-config/shell-words.ts';
import { isTestTaskName } from '../runner-config/test-task.ts';
import { type Collection, collectedUnknown, collectedYes, notCollected } from './collection.ts';
import { type ConfigSide, configRoot } from './config-side.ts';
import { globMatcher, remembered } from './memo.ts';

const scriptExtensions = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];
const vitestDefaultInclude = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
/** Vitest 4 leaves out only these by default; vitest 3 and older also dist, cypress, dot folders and configs. */
const vitestDefaultExclude = ['**/node_modules/**', '**/.git/**'];
const vitest3DefaultExclude = [
  ...vitestDefaultExclude,
  '**/dist/**',
  '**/cypress/**',
  '**/.{idea,git,cache,output,temp}/**',
  '**/{karma,rollup,webpack,vite,vitest,jest,ava,babel,nyc,cypress,tsup,build,eslint,prettier}.config.*',
];
const jestDefaultTestMatch = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];
const avaDefaultFiles = [
  'test.{js,cjs,mjs}',
  'src/test.{js,cjs,mjs}',
  'source/test.{js,cjs,mjs}',
  '**/test-*.{js,cjs,mjs}',
  '**/*.spec.{js,cjs,mjs}',
  '**/*.test.{js,cjs,mjs}',
  '**/test/**/*.{js,cjs,mjs}',
  '**/tests/**/*.{js,cjs,mjs}',
  '**/__tests__/**/*.{js,cjs,mjs}',
];
const avaDefaultIgnored = [
  '**/__tests__/**/__{helper,helpers,fixture,fixtures}__/**',
  '**/{test,tests}/**/{helper,helpers,fixture,fixtures}/**',
  '**/_*',
  '**/_*/**',
];
const nodeTestDefaults = [
  '**/*.test.{cjs,mjs,js}',
  '**/*-test.{cjs,mjs,js}',
  '**/*_test.{cjs,mjs,js}',
  '**/test-*.{cjs,mjs,js}',
  '**/test.{cjs,mjs,js}',
  '**/test/**/*.{cjs,mjs,js}',
];
/** Runners whose collection the guard does not read: a project that uses one is `unknown`. */
const unreadRunners =
  /^(?:mocha|_mocha|tap|tape|uvu|jasmine|karma|playwright|cypress|bun|deno|lab|c8|nyc|turbo|nx|lerna)$/;

/** A JS project: the folder of the package.json nearest the file, what it holds, and the configs beside it. */
interface JsProject {
  root: string;
  pkg: Record<string, unknown>;
  side: ConfigSide;
}

/**
 * Whether the JS test runners the project uses (vitest, jest, ava, node:test, by its package.json and config
 * files) collect the file at `path`: `no` when each of them leaves it out. Mocha and the runners not read
 * here make it `unknown`, as do configs with values computed at run time; `node_modules` is no runner's.
 */
export function jsCollection(path: string, side: ConfigSide, baseSide: ConfigSide): Collection {
  if (path.split('/').includes('node_modules')) {
    return notCollected('the test runner', 'no JS test runner collects files inside `node_modules`');
  }
  const project = projectOf(path, side, baseSide);
  if (!project) return collectedUnknown;
  const rel = path.slice(project.root.length);
  const runners = runnersOf(project);
  if (runners === undefined || runners.length === 0) return collectedUnknown;
  const answers = runners.map((runner) => runner(rel, project));
  const collected = answers.find((answer) => answer.collected !== 'no');
  if (collected) return collected;
  const reasons = answers.flatMap((answer) => (answer.collected === 'no' ? [answer.reason] : []));
  const names = answers.flatMap((answer) => (answer.collected === 'no' ? [answer.runner] : []));
  return notCollected(names.join(' and '), reasons.join('; '));
}

function projectOf(path: string, side: ConfigSide, baseSide: ConfigSide): JsProject | undefined {
  const root = configRoot(path, side, baseSide, (folder, on) => on(`${folder}package.json`) !== undefined);
  const source = root === undefined ? undefined : side(`${root}package.json`);
  const pkg = source === undefined ? undefined : parsedPackage(source);
  return root !== undefined && pkg ? { root, pkg, side } : undefined;
}

const parsedPackage = remembered((source): Record<string, unknown> | undefined => {
  try {
    const pkg = JSON.parse(source) as unknown;
    return typeof pkg === 'object' && pkg !== null && !Array.isArray(pkg)
      ? (pkg as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
});

type Runner = (rel: string, project: JsProject) => Collection;

/** The runners the project uses; undefined when it uses one the guard does not read. */
function runnersOf(project: JsProject): Runner[] | undefined {
  const { pkg } = project;
  const deps = new Set(
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((key) =>
      Object.keys(asRecord(pkg[key])),
    ),
  );
  // The scripts that run tests (`test`, `test:unit`, `ci`...): the runners they start, and how.
  const commands = Object.entries(asRecord(pkg.scripts)).flatMap(([name, script]) =>
    typeof script === 'string' && isTestTaskName(name)
      ? simpleCommands(shellTokens(script)).map((command) => commandArgs(command.words))
      : [],
  );
  const programs = new Set(commands.map((args) => programName(args.program)));
  if ([...programs].some((program) => unreadRunners.test(program)) || deps.has('mocha') || 'mocha' in pkg)
    return undefined;
  // Another config, root or project, or files named on the command line: more than the config files say.
  const elsewhere = commands.some(
    (args) =>
      ['vitest', 'jest', 'ava'].includes(programName(args.program)) &&
      (args.positionals.length > 0 || relocatingOptions.some((option) => args.options.has(option))),
  );
  if (elsewhere) return undefined;
  if (jsConfig(project, '.mocharc', ['', '.json', '.jsonc', '.yml', '.yaml', '.js', '.cjs', '.mjs'])) return undefined;
  const runners: Runner[] = [];
  const uses = (name: string) => deps.has(name) || programs.has(name);
  if (
    uses('vitest') ||
    jsConfig(
      project,
      'vitest.config',
      scriptExtensions.map((ext) => `.${ext}`),
    )
  )
    runners.push(vitest);
  if (
    uses('jest') ||
    'jest' in pkg ||
    jsConfig(project, 'jest.config', [...scriptExtensions.map((ext) => `.${ext}`), '.json'])
  ) {
    runners.push(jest);
  }
  if (uses('ava') || 'ava' in pkg) runners.push(ava);
  const nodeTests = commands.filter((args) => args.program === 'node' && args.options.has('--test'));
  if (nodeTests.length > 0) runners.push(nodeTest(nodeTests.flatMap((args) => args.positionals)));
  return runners;
}

/** Command-line options of vitest, jest and ava that read another config or collect from elsewhere. */
const relocatingOptions = [
  ...['--config', '-c', '--root', '-r', '--dir', '--project', '--workspace', '--rootDir', '--roots'],
  ...['--testMatch', '--testRegex', '--testPathIgnorePatterns', '--selectProjects', '--projects'],
];

function programName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1);
}

/** The first config file `<stem><ext>` beside the package.json, with its name. */
function jsConfig(
  project: JsProject,
  stem: string,
  extensions: readonly string[],
): { name: string; source: string } | undefined {
  for (const ext of extensions) {
    const source = project.side(`${project.root}${stem}${ext}`);
    if (source !== undefined) return { name: `${stem}${ext}`, source };
  }
  return undefined;
}

/** The entries of a config file, or undefined when it does not parse. */
function entriesOf(config: { name: string; source: string }): ConfigEntry[] | undefined {
  return parsedEntries(`${config.name}\0${config.source}`);
}

const parsedEntries = remembered((key): ConfigEntry[] | undefined => {
  const [name = '', source = ''] = [key.slice(0, key.indexOf('\0')), key.slice(key.indexOf('\0') + 1)];
  try {
    return configEntries(name, source);
  } catch {
    return undefined;
  }
});

function vitest(rel: string, project: JsProject): Collection {
  if (
    jsConfig(
      project,
      'vitest.workspace',
      scriptExtensions.map((ext) => `.${ext}`),
    )
  )
    return collectedUnknown;
  const config =
    jsConfig(
      project,
      'vitest.config',
      scriptExtensions.map((ext) => `.${ext}`),
    ) ??
    jsConfig(
      project,
      'vite.config',
      scriptExtensions.map((ext) => `.${ext}`),
    );
  const entries = config ? entriesOf(config) : [];
  if (!entries) return collectedUnknown;
  const where = config ? `\`${project.root}${config.name}\`` : "vitest's defaults";
  // Projects, another root or folder, and settings computed at run time are more than this reads.
  if (
    entries.some(({ keys }) => ['projects', 'workspace', 'root', 'dir'].includes(keys.at(-1) ?? '') && keys.length <= 2)
  ) {
    return collectedUnknown;
  }
  const setting = (name: string) => entries.find(({ keys }) => keys.join('.') === `test.${name}`);
  if (!isJsTestFile(rel)) {
    const includeSource = setting('includeSource');
    if (!includeSource?.literal) return collectedUnknown;
    return globMatcher(includeSource.values, { dot: true })(rel)
      ? collectedYes
      : notCollected('vitest', `\`test.includeSource\` of ${where} does not name it`);
  }
  const include = setting('include');
  const exclude = setting('exclude');
  if ((include && !include.literal) || (exclude && !exclude.literal)) return collectedUnknown;
  const includes = withDefaults(include?.values, vitestDefaultInclude);
  if (!globMatcher(includes, { dot: true })(rel)) {
    return notCollected('vitest', `it matches none of \`test.include\` of ${where} (${includes.join(', ')})`);
  }
  const defaults = majorVersion(project.pkg, 'vitest') <= 3 ? vitest3DefaultExclude : vitestDefaultExclude;
  const excludes = withDefaults(exclude?.values, defaults);
  const excluded = excludes.find((glob) => globMatcher(glob, { dot: true })(rel));
  return excluded === undefined
    ? collectedYes
    : notCollected('vitest', `\`${excluded}\` in \`test.exclude\` of ${where} leaves it out`);
}

function jest(rel: string, project: JsProject): Collection {
  const config = jsConfig(project, 'jest.config', [...scriptExtensions.map((ext) => `.${ext}`), '.json']);
  const fromFile = config ? entriesOf(config) : [];
  if (!fromFile) return collectedUnknown;
  const fromPackage = config
    ? []
    : (entriesOf({ name: 'package.json', source: JSON.stringify({ jest: project.pkg.jest ?? {} }) }) ?? []);
  const scope = config ? [] : ['jest'];
  const entries = (config ? fromFile : fromPackage).filter(
    ({ keys }) => keys.length === scope.length + 1 && scope.every((key, index) => keys[index] === key),
  );
  const where = config
    ? `\`${project.root}${config.name}\``
    : project.pkg.jest
      ? `\`jest\` of \`${project.root}package.json\``
      : "jest's defaults";
  const setting = (name: string) => entries.find(({ keys }) => keys.at(-1) === name);
  if (['projects', 'rootDir', 'preset'].some((name) => setting(name))) return collectedUnknown;
  const used = ['roots', 'testMatch', 'testRegex', 'testPathIgnorePatterns'].map(setting);
  if (used.some((entry) => entry && !entry.literal)) return collectedUnknown;
  const [roots, testMatch, testRegex, ignores] = used;
  const absolute = `/<rootDir>/${rel}`;
  const withRoot = (value: string) => value.replace(/<rootDir>/g, '/<rootDir>');
  const rootList = roots?.values ?? ['<rootDir>'];
  if (!rootList.some((root) => absolute.startsWith(`${withRoot(root).replace(/\/+$/, '')}/`))) {
    return notCollected('jest', `it is outside \`roots\` of ${where} (${rootList.join(', ')})`);
  }
  if (testRegex) {
    if (!testRegex.values.some((regex) => safeRegExp(regex)?.test(absolute) ?? true)) {
      return notCollected('jest', `it matches no \`testRegex\` of ${where} (${testRegex.values.join(', ')})`);
    }
  } else {
    const globs = (testMatch?.values ?? jestDefaultTestMatch).map(withRoot);
    if (!globMatcher(globs, { dot: true })(absolute)) {
      return notCollected('jest', `it matches none of \`testMatch\` of ${where} (${globs.join(', ')})`);
    }
  }
  const ignored = (ignores?.values ?? ['/node_modules/']).find(
    (regex) => safeRegExp(withRoot(regex))?.test(absolute) ?? false,
  );
  return ignored === undefined
    ? collectedYes
    : notCollected('jest', `\`${ignored}\` in \`testPathIgnorePatterns\` of ${where} leaves it out`);
}

function ava(rel: string, project: JsProject): Collection {
  const config = jsConfig(project, 'ava.config', ['.js', '.cjs', '.mjs']);
  const fromFile = config ? entriesOf(config) : [];
  if (!fromFile) return collectedUnknown;
  const entries = config
    ? fromFile.filter(({ keys }) => keys.length === 1)
    : (entriesOf({ name: 'package.json', source: JSON.stringify({ ava: project.pkg.ava ?? {} }) }) ?? []).filter(
        ({ keys }) => keys.length === 2,
      );
  const setting = (name: string) => entries.find(({ keys }) => keys.at(-1) === name);
  if (setting('extensions') || setting('typescript')) return collectedUnknown;
  const files = setting('files');
  if (files && !files.literal) return collectedUnknown;
  if (/(?:^|\/)_/.test(rel)) return notCollected('ava', 'ava leaves out files and folders whose names start with `_`');
  const where = config ? `\`${project.root}${config.name}\`` : "ava's defaults";
  const positive = files?.values.filter((glob) => !glob.startsWith('!')) ?? avaDefaultFiles;
  const negative =
    files?.values.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1)) ?? avaDefaultIgnored;
  if (!globMatcher(positive)(rel))
    return notCollected('ava', `it matches none of \`files\` of ${where} (${positive.join(', ')})`);
  const ignored = negative.find((glob) => globMatcher(glob)(rel));
  return ignored === undefined ? collectedYes : notCollected('ava', `\`${ignored}\` of ${where} leaves it out`);
}

function nodeTest(patterns: readonly string[]): Runner {
  return (rel) => {
    if (patterns.length === 0) {
      if (!/\.[cm]?js$/.test(rel)) return collectedUnknown;
      return globMatcher(nodeTestDefaults)(rel)
        ? collectedYes
        : notCollected(
            'node --test',
            `it matches none of the files \`node --test\` runs by default (${nodeTestDefaults.join(', ')})`,
          );
    }
    // A folder or a file without glob characters: what node makes of it is more than this reads.
    if (patterns.some((pattern) => !/[*?{[]/.test(pattern))) return collectedUnknown;
    return globMatcher(patterns.map((pattern) => pattern.replace(/^\.\//, '')))(rel)
      ? collectedYes
      : notCollected('node --test', `it matches none of the patterns given to \`node --test\` (${patterns.join(' ')})`);
  };
}

/** A setting's values with a spread of the defaults (`...configDefaults.exclude`) replaced by them; the defaults when unset. */
function withDefaults(values: readonly string[] | undefined, defaults: readonly string[]): string[] {
  if (values === undefined) return [...defaults];
  return values.flatMap((value) => (value.startsWith('...') ? defaults : [value]));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The major version a dependency's range names (`^3.2.0` is 3); Infinity when it names none. */
function majorVersion(pkg: Record<string, unknown>, name: string): number {
  const range = ['devDependencies', 'dependencies']
    .map((key) => asRecord(pkg[key])[name])
    .find((value) => typeof value === 'string');
  const major = typeof range === 'string' ? /^[\^~>=v\s]*(\d+)/.exec(range)?.[1] : undefined;
  return major === undefined ? Number.POSITIVE_INFINITY : Number(major);
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
