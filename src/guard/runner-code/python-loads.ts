import { parse } from '@ast-grep/napi';
import type { TomlValue } from 'smol-toml';
import { noxfileAssignments } from '../runner-config/environment-settings.ts';
import { iniSections } from '../runner-config/ini-sections.ts';
import { quoteWord } from '../runner-config/shell-words.ts';
import { lineOfKey, parseToml, tableAt, tomlText } from '../runner-config/toml-document.ts';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { commandLineLoads } from './command-loads.ts';
import { type FileLoads, folderOf, type LoadPoint, type NamedFile, namedPythonModule } from './load-point.ts';
import { isLoaderVariable, readerOf } from './loader-variables.ts';

/**
 * Python files that run before the tests wherever they are: pytest's conftest.py, a test package's
 * `__init__.py`, site's hooks, `.pth` lines.
 */
export function runsBeforeTests(path: string): string | undefined {
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  if (fileName === 'conftest.py') return 'pytest imports it before the tests in its folder';
  if (fileName === '__init__.py' && /(?:^|\/)tests?\//.test(path)) {
    return 'python imports it before the test modules of its package';
  }
  if (fileName === 'sitecustomize.py' || fileName === 'usercustomize.py') {
    return 'python imports it at start-up when it is on the path';
  }
  if (fileName.endsWith('.pth')) return 'python runs its import lines at start-up from a site folder';
  return undefined;
}

/** `pytest_plugins = [...]` at the top of a Python module: pytest imports each plugin before the tests. */
export function pytestPluginsLoads(path: string, source: string): FileLoads {
  if (!source.includes('pytest_plugins')) return { points: [], named: [] };
  ensureTreeSitterLanguages();
  const root = parse(DynamicLanguages.python, source).root();
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  for (const statement of root.children().filter((child) => child.kind() === 'expression_statement')) {
    const target = statement.child(0)?.field('left');
    if (target?.text() !== 'pytest_plugins') continue;
    const line = statement.range().start.line + 1;
    for (const literal of statement.findAll({ rule: { kind: 'string' } })) {
      const value = /^[A-Za-z]{0,2}("""|'''|["'])([\s\S]*)\1$/.exec(literal.text())?.[2] ?? literal.text();
      points.push({ setting: 'pytest_plugins', value, line, runner: 'pytest' });
      const file = namedPythonModule(value, `${path}:${line} pytest_plugins`, 'pytest');
      if (file) named.push(file);
    }
  }
  return { points, named };
}

/** The INI section pytest reads in each file. */
const pytestSection: Record<string, string> = {
  'pytest.ini': 'pytest',
  'tox.ini': 'pytest',
  'setup.cfg': 'tool:pytest',
};

/**
 * The loads of pytest.ini, tox.ini, setup.cfg or pyproject.toml: addopts `-p plugin`, `pythonpath`,
 * `usefixtures`, pytest-env's `env`, tox's `setenv` and `commands`, and `pytest11` entry points (pytest loads
 * the plugins of installed packages by themselves).
 */
export function pythonConfigLoads(path: string, fileName: string, source: string): FileLoads {
  const options = fileName === 'pyproject.toml' ? pyprojectPytest(source) : iniPytest(fileName, source);
  const loads = options.map((option) => pytestOptionLoads(path, option));
  if (fileName === 'tox.ini') loads.push(toxLoads(path, source));
  loads.push(entryPointLoads(path, fileName, source));
  return { points: loads.flatMap((load) => load.points), named: loads.flatMap((load) => load.named) };
}

interface PytestOption {
  name: string;
  values: string[];
  line: number;
}

function iniPytest(fileName: string, source: string): PytestOption[] {
  const section = iniSections(source).get(pytestSection[fileName] ?? 'pytest');
  return [...(section ?? [])].map(([name, { value, line }]) => ({ name, values: iniWords(name, value), line }));
}

/** addopts keeps its shell words; the other options are one value a line (env) or words. */
function iniWords(name: string, value: string): string[] {
  if (name === 'addopts') return [value];
  if (name === 'env')
    return value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  return value.split(/\s+/).filter(Boolean);
}

function pyprojectPytest(source: string): PytestOption[] {
  const document = parseToml(source);
  const iniTable = tableAt(document, 'tool', 'pytest', 'ini_options');
  const table = iniTable ?? tableAt(document, 'tool', 'pytest');
  const tableName = iniTable ? 'tool.pytest.ini_options' : 'tool.pytest';
  return Object.entries(table ?? {}).map(([name, value]) => ({
    name,
    values: Array.isArray(value) ? arrayWords(name, value) : iniWords(name, tomlText(value)),
    line: lineOfKey(source, name, tableName),
  }));
}

/** A TOML array: addopts as one command line (each item one word), other options one value an item. */
function arrayWords(name: string, items: readonly TomlValue[]): string[] {
  const words = items.map((item) => tomlText(item));
  return name === 'addopts' ? [words.map(quoteWord).join(' ')] : words;
}

function pytestOptionLoads(path: string, { name, values, line }: PytestOption): FileLoads {
  switch (name) {
    case 'addopts':
      return commandLineLoads(`pytest ${values.join(' ').replace(/\s+/g, ' ')}`, {
        setting: 'addopts',
        line,
        dir: folderOf(path),
        file: path,
      });
    case 'pythonpath':
    case 'usefixtures':
      return { points: values.map((value) => ({ setting: name, value, line, runner: 'pytest' })), named: [] };
    case 'env':
      return { points: environmentPoints(name, values, line), named: [] };
    default:
      return { points: [], named: [] };
  }
}

/** `KEY=value` lines (pytest-env's `D:` and `R:` prefixes allowed) that set a loader variable. */
function environmentPoints(setting: string, lines: readonly string[], line: number): LoadPoint[] {
  return lines.flatMap((text) => {
    const pair = /^(?:[DR]:)?\s*([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(text.trim());
    const [, variable = '', value = ''] = pair ?? [];
    if (!pair || !isLoaderVariable(variable, value.trim())) return [];
    return [{ setting: `${setting} ${variable}`, value: value.trim(), line, runner: readerOf(variable) }];
  });
}

/** tox's `[testenv]` sections: the environment they set and the commands they run. */
function toxLoads(path: string, source: string): FileLoads {
  const loads: FileLoads = { points: [], named: [] };
  for (const [section, options] of iniSections(source)) {
    if (!/^testenv\b/.test(section)) continue;
    const setenv = options.get('setenv');
    if (setenv) loads.points.push(...environmentPoints(`[${section}] setenv`, setenv.value.split('\n'), setenv.line));
    const commands = options.get('commands');
    for (const text of commands?.value.split('\n') ?? []) {
      const found = commandLineLoads(text, {
        setting: `[${section}] commands`,
        line: commands?.line ?? 1,
        dir: folderOf(path),
        file: path,
      });
      loads.points.push(...found.points);
      loads.named.push(...found.named);
    }
  }
  return loads;
}

/** `pytest11` entry points: a package that declares one is a pytest plugin pytest loads once installed. */
function entryPointLoads(path: string, fileName: string, source: string): FileLoads {
  const entries: { value: string; line: number }[] = [];
  if (fileName === 'setup.cfg') {
    const pytest11 = iniSections(source).get('options.entry_points')?.get('pytest11');
    for (const value of pytest11?.value.split('\n') ?? [])
      if (value.trim()) entries.push({ value, line: pytest11?.line ?? 1 });
  }
  if (fileName === 'pyproject.toml') {
    const document = parseToml(source);
    for (const [keys, tableName] of [
      [['project', 'entry-points', 'pytest11'], 'project.entry-points.pytest11'],
      [['tool', 'poetry', 'plugins', 'pytest11'], 'tool.poetry.plugins.pytest11'],
    ] as const) {
      for (const [name, value] of Object.entries(tableAt(document, ...keys) ?? {})) {
        entries.push({ value: `${name} = ${tomlText(value)}`, line: lineOfKey(source, name, tableName) });
      }
    }
  }
  const points = entries.map(({ value, line }) => ({
    setting: 'pytest11 entry point',
    value: value.replace(/\s+/g, ' ').trim(),
    line,
    runner: 'pytest',
  }));
  const named = entries.flatMap(({ value, line }) => {
    const module = /=\s*([\w.]+)/.exec(value)?.[1] ?? '';
    const file = namedPythonModule(module, `${path}:${line} pytest11 entry point`, 'pytest');
    return file ? [file] : [];
  });
  return { points, named };
}

/** The loader variables a noxfile gives its sessions (`session.env["PYTEST_PLUGINS"] = ...`, `env={...}`). */
export function noxfileLoads(source: string): FileLoads {
  const points = noxfileAssignments(source).flatMap(({ name, value, line }) =>
    isLoaderVariable(name, value) ? [{ setting: `env ${name}`, value, line, runner: readerOf(name) }] : [],
  );
  return { points, named: [] };
}
