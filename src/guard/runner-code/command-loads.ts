import { type SimpleCommand, shellTokens, simpleCommands } from '../runner-config/shell-words.ts';
import { isModulePath } from './js-runner-loads.ts';
import { type FileLoads, type LoadPoint, type NamedFile, namedPythonModule, namedScript } from './load-point.ts';
import { isLoaderVariable, readerOf } from './loader-variables.ts';

/** Where a command line was found: the setting that holds it, its line, and the folder its paths are relative to. */
export interface CommandSource {
  setting: string;
  line: number;
  dir: string;
  /** The file that holds the command line, for messages; empty when `setting` already says where. */
  file: string;
}

/** Programs whose `-r`, `-C` are node's `--require`, `--conditions`. */
const nodeLike = /^(?:node|nodejs|bun|deno|tsx|ts-node|ts-node-esm|esno|babel-node|mocha|_mocha)$/;
const pytestLike = /^(?:pytest|py\.test)$/;
const configuredRunner = /^(?:jest|vitest|mocha|_mocha|ava|playwright|cypress|nyc|c8)$/;

/** Options that load code whatever the program: node's preload options and the runners' setup options. */
const anyProgramOptions = new Set([
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '--experimental-test-module-mocks',
  '--experimental-config-file',
  '--test-global-setup',
  '--env-file',
  '--env-file-if-exists',
  '--preload',
  '--node-option',
  '--node-arguments',
  '--setupFiles',
  '--setupFilesAfterEnv',
  '--globalSetup',
  '--globalTeardown',
  '--testEnvironment',
  '--environment',
  '--moduleNameMapper',
  '--resolver',
  '--transform',
  '--preset',
  '--testRunner',
  '--runner',
  '--testResultsProcessor',
  '--testSequencer',
  '--file',
]);
/** Options that name a reporter: a module given as a file counts (it runs in the runner, and can end it). */
const reporterOptions = new Set(['--test-reporter', '--reporter', '--reporters', '-R']);
/** Options that take no value. */
const flagOnly = new Set(['--experimental-test-module-mocks']);

/** Words that run the rest of the line with other environment: `env`, `cross-env`. */
const environmentWrappers = new Set(['env', 'cross-env', 'cross-env-shell', 'export', 'declare', 'typeset', 'local']);

/** The loads of every command of a shell command line: environment it sets, options that preload code. */
export function commandLineLoads(text: string, source: CommandSource, preloads = true): FileLoads {
  const commands = simpleCommands(shellTokens(text));
  const loads: FileLoads = { points: [], named: [] };
  for (const command of commands) {
    const { points, named } = commandLoads(command, source, preloads);
    loads.points.push(...points);
    loads.named.push(...named);
  }
  return loads;
}

function commandLoads({ words }: SimpleCommand, source: CommandSource, preloads: boolean): FileLoads {
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  let inEnvironment = true;
  let seenNode = false;
  let seenPytest = false;
  let seenRunner = false;
  let pythonModule = false;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const assignment = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
    if (assignment && inEnvironment) {
      const [, name = '', value = ''] = assignment;
      if (isLoaderVariable(name, value)) {
        const setting = [source.setting, name].filter(Boolean).join(' ');
        points.push({ ...at(source), setting, value: spaced(value), runner: readerOf(name) });
        if (name === 'NODE_OPTIONS') named.push(...preloadedFiles(value, source.dir, setting));
      }
      continue;
    }
    if (environmentWrappers.has(word) || (inEnvironment && /^-[a-zA-Z]+$/.test(word) && index > 0)) continue;
    inEnvironment = false;
    if (!preloads) continue;
    const program = word.slice(word.lastIndexOf('/') + 1);
    if (!word.startsWith('-')) {
      seenNode ||= nodeLike.test(program) || /\$[({]?NODE\b/i.test(word);
      seenPytest ||= pytestLike.test(program) || (pythonModule && program === 'pytest');
      seenRunner ||= configuredRunner.test(program);
      pythonModule = false;
      continue;
    }
    if (word === '-m') pythonModule = true;
    // `-ptests.fakes` and mocha's `-r./x`: a short option glued to its value.
    const glued = /^-([prcC])([^=-].*)$/s.exec(word);
    const equals = glued ? 2 : word.indexOf('=');
    const name = glued ? `-${glued[1]}` : equals > 0 ? word.slice(0, equals) : word;
    const counts =
      anyProgramOptions.has(name) ||
      reporterOptions.has(name) ||
      (seenNode && ['-r', '-C', '--conditions'].includes(name)) ||
      (seenPytest && ['-p', '-c', '--config-file', '--confcutdir', '--rootdir'].includes(name)) ||
      (seenRunner && ['--config', '-c'].includes(name));
    if (!counts) continue;
    let value = '';
    if (glued) value = glued[2] ?? '';
    else if (equals > 0) value = word.slice(equals + 1);
    else if (!flagOnly.has(name) && index + 1 < words.length) value = words[++index] ?? '';
    if (name === '-p' && value.startsWith('no:')) continue;
    if (reporterOptions.has(name) && !isModulePath(value)) continue;
    const runner = seenPytest ? 'pytest' : 'node';
    const setting = source.setting || 'command';
    points.push({ ...at(source), setting, value: `${canonical(name)} ${value}`.trim(), runner });
    const by = `${source.file ? `${source.file}:${source.line} ` : ''}${setting} (${canonical(name)})`;
    const file = name === '-p' ? namedPythonModule(value, by, runner) : namedScript(source.dir, value, by, runner);
    if (file) named.push(file);
  }
  return { points, named };
}

/** The repository files node options (NODE_OPTIONS, `.npmrc` node-options) preload, relative to `dir`. */
export function preloadedFiles(options: string, dir: string, setting: string): NamedFile[] {
  return commandLineLoads(`node ${options}`, { setting, line: 1, dir, file: '' }).named;
}

function at(source: CommandSource): Pick<LoadPoint, 'line'> {
  return { line: source.line };
}

/** One spelling per option, so `-r x` and `--require=x` compare equal. */
function canonical(name: string): string {
  const aliases: Record<string, string> = { '-r': '--require', '-C': '--conditions', '-c': '--config' };
  return aliases[name] ?? (name === '--config-file' ? '--config' : name);
}

function spaced(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
