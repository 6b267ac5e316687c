import type { TomlValue } from 'smol-toml';
import { assignmentLines, environmentSettings } from './environment-settings.ts';
import { iniSections } from './ini-sections.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';
import { shellTokens } from './shell-words.ts';
import { lineOfKey, parseToml, tableAt, tomlText } from './toml-document.ts';

/** A pytest option as written: a string (INI, or a TOML string) or a list (a TOML array). */
interface PytestOption {
  name: string;
  value: string | string[];
  line: number;
}

/** The INI section pytest reads in each file it takes its options from. */
const iniSectionOf: Record<string, string> = {
  'pytest.ini': 'pytest',
  'tox.ini': 'pytest',
  'setup.cfg': 'tool:pytest',
};

const plainPytest = [{ words: ['pytest'], maskedBy: undefined }];

/** The runner settings of a pytest configuration file, by its file name (pytest.ini, pyproject.toml, ...). */

/** pytest's own values of the settings that pick test files, classes and functions (see its reference). */
const pytestDefaults: Record<'python_files' | 'python_classes' | 'python_functions', readonly string[]> = {
  python_files: ['test_*.py', '*_test.py'],
  python_classes: ['Test'],
  python_functions: ['test'],
};
export function pytestSettings(fileName: string, source: string): RunnerSetting[] {
  const options = fileName === 'pyproject.toml' ? pyprojectOptions(source) : iniOptions(fileName, source);
  const settings = options.flatMap(settingOf);
  if (fileName === 'tox.ini') settings.push(...toxEnvironment(source));
  if (fileName === 'pyproject.toml') settings.push(...pytestEnvTable(source));
  return settings;
}

/** `setenv` of tox's `[testenv]` sections: tox starts the test commands with that environment. */
function toxEnvironment(source: string): RunnerSetting[] {
  return [...iniSections(source)].flatMap(([section, options]) => {
    const setenv = /^testenv\b/.test(section) ? options.get('setenv') : undefined;
    if (!setenv) return [];
    return environmentSettings(`[${section}] setenv`, assignmentLines(setenv.value.split('\n'), setenv.line));
  });
}

/**
 * pytest-env's own `[tool.pytest_env]` table (`NAME = "value"` or `NAME = { value = "..." }`). Like its `env`
 * option, it is set while pytest starts, after pytest read PYTEST_ADDOPTS: it reaches the processes the tests
 * start (pytester, subprocess runs, xdist's workers for PYTHONOPTIMIZE), so narrowing there only warns.
 */
function pytestEnvTable(source: string): RunnerSetting[] {
  const table = tableAt(parseToml(source), 'tool', 'pytest_env');
  const assignments = Object.entries(table ?? {}).map(([name, value]) => {
    const given =
      typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, TomlValue>).value : value;
    return {
      name,
      value: given === undefined ? '' : tomlText(given),
      line: lineOfKey(source, name, 'tool.pytest_env'),
    };
  });
  return environmentSettings('tool.pytest_env', assignments, false);
}

function iniOptions(fileName: string, source: string): PytestOption[] {
  const section = iniSections(source).get(iniSectionOf[fileName] ?? 'pytest');
  return [...(section ?? [])].map(([name, { value, line }]) => ({ name, value, line }));
}

/** `[tool.pytest.ini_options]`, or the native `[tool.pytest]` table of pytest 9. */
function pyprojectOptions(source: string): PytestOption[] {
  const document = parseToml(source);
  const iniTable = tableAt(document, 'tool', 'pytest', 'ini_options');
  const table = iniTable ?? tableAt(document, 'tool', 'pytest');
  const tableName = iniTable ? 'tool.pytest.ini_options' : 'tool.pytest';
  return Object.entries(table ?? {}).map(([name, value]) => ({
    name,
    value: Array.isArray(value) ? value.map((item: TomlValue) => tomlText(item)) : tomlText(value),
    line: lineOfKey(source, name, tableName),
  }));
}

function settingOf({ name, value, line }: PytestOption): RunnerSetting[] {
  const words = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  switch (name) {
    case 'addopts': {
      const options =
        typeof value === 'string'
          ? shellTokens(value)
              .filter((token) => !token.operator)
              .map((token) => token.text)
          : value;
      const text = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : value.join(' ');
      const commands = [{ words: ['pytest', ...options], maskedBy: undefined }];
      return [{ kind: SettingKinds.command, name, line, text, commands, unset: plainPytest }];
    }
    case 'testpaths':
      return [{ kind: SettingKinds.selects, name, line, values: words, hasDefault: true }];
    case 'python_files':
    case 'python_classes':
    case 'python_functions':
      return [
        { kind: SettingKinds.selects, name, line, values: words, hasDefault: true, defaults: pytestDefaults[name] },
      ];
    case 'norecursedirs':
      return [{ kind: SettingKinds.excludes, name, line, values: words, hasDefault: true }];
    case 'env': {
      // pytest-env: one `NAME=value` a line (INI) or an item (TOML); see pytestEnvTable for when it applies.
      const lines = typeof value === 'string' ? value.split('\n') : value;
      return environmentSettings(name, assignmentLines(lines, line), false);
    }
    case 'xfail_strict': {
      const on = /^(true|1|yes|on)$/i.test(words[0] ?? '');
      return [{ kind: SettingKinds.toggle, name, line, value: String(on), unset: 'false', weak: 'false' }];
    }
    default:
      return [];
  }
}
