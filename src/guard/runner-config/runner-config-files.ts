import { isDotenvFile } from '../runner-code/env-files.ts';
import { avaSettings } from './ava-config.ts';
import { cargoSettings } from './cargo-targets.ts';
import { conftestSettings } from './conftest-ignores.ts';
import { dotenvAssignments, environmentSettings, noxfileAssignments } from './environment-settings.ts';
import { configEntries, playwrightSettings, runnerSettings, workspaceSettings } from './js-config.ts';
import { makefileSettings } from './makefile.ts';
import { mocharcName, mochaSettings } from './mocha-config.ts';
import { packageJsonSettings } from './package-json.ts';
import { pytestSettings } from './pytest-config.ts';
import type { RunnerSetting } from './runner-setting.ts';

/**
 * A kind of file that configures which tests a runner (jest, vitest, playwright, mocha, npm, pytest, make, cargo)
 * runs, or the environment it runs in (dotenv files, tox's setenv, nox sessions).
 */
interface RunnerConfigFile {
  matches(fileName: string): boolean;
  settings(fileName: string, source: string): RunnerSetting[];
}

const script = String.raw`\.(?:[cm]?[jt]s|json)$`;
const jestConfig = new RegExp(`^jest(?:\\.[\\w-]+)*\\.config(?:\\.[\\w-]+)*${script}`);
const vitestConfig = new RegExp(`^(?:vitest|vite)(?:\\.[\\w-]+)*\\.config(?:\\.[\\w-]+)*${script}`);
const playwrightConfig = new RegExp(`^playwright(?:-ct)?(?:\\.[\\w-]+)*\\.config${script}`);
const vitestWorkspace = new RegExp(`^vitest\\.(?:workspace|projects)${script}`);

/** `.env.example` and the like: a template to copy, which nothing loads. */
const exampleFile = /\.(?:example|sample|template|dist)$/;

const runnerConfigFiles: readonly RunnerConfigFile[] = [
  {
    matches: (name) => jestConfig.test(name),
    settings: (name, source) => runnerSettings(configEntries(name, source), undefined),
  },
  {
    matches: (name) => vitestConfig.test(name),
    settings: (name, source) => runnerSettings(configEntries(name, source), 'test'),
  },
  {
    matches: (name) => vitestWorkspace.test(name),
    settings: (name, source) => workspaceSettings(configEntries(name, source)),
  },
  {
    matches: (name) => playwrightConfig.test(name),
    settings: (name, source) => playwrightSettings(configEntries(name, source)),
  },
  {
    matches: (name) => /^ava\.config\.[cm]?js$/.test(name),
    settings: (name, source) => avaSettings(configEntries(name, source), undefined),
  },
  { matches: (name) => mocharcName.test(name), settings: mochaSettings },
  { matches: (name) => name === 'package.json', settings: (_, source) => packageJsonSettings(source) },
  {
    matches: (name) => ['pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml'].includes(name),
    settings: pytestSettings,
  },
  { matches: (name) => name === 'conftest.py', settings: (_, source) => conftestSettings(source) },
  {
    matches: (name) => ['Makefile', 'makefile', 'GNUmakefile'].includes(name) || name.endsWith('.mk'),
    settings: (_, source) => makefileSettings(source),
  },
  { matches: (name) => name === 'Cargo.toml', settings: (_, source) => cargoSettings(source) },
  // The environment a runner starts with: dotenv files (pipenv, `uv run --env-file`, docker, direnv's dotenv)
  // and nox sessions.
  {
    matches: (name) => isDotenvFile(name) && !exampleFile.test(name),
    settings: (_, source) => environmentSettings('', dotenvAssignments(source)),
  },
  {
    matches: (name) => name === 'noxfile.py',
    settings: (_, source) => environmentSettings('', noxfileAssignments(source)),
  },
];

function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether `path` is a runner configuration file the guard compares. */
export function isRunnerConfigFile(path: string): boolean {
  const fileName = fileNameOf(path);
  return runnerConfigFiles.some((file) => file.matches(fileName));
}

/** The runner settings `source` holds as the runner configuration file at `path`; none for an absent file. */
export function runnerSettingsOf(path: string, source: string | undefined): RunnerSetting[] {
  if (source === undefined) return [];
  const fileName = fileNameOf(path);
  return runnerConfigFiles.filter((file) => file.matches(fileName)).flatMap((file) => file.settings(fileName, source));
}
