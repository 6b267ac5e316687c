import { shellTokens } from '../runner-config/shell-words.ts';

/** Options of node (and of runners that pass them on) that load a module before the program. */
const nodePreloadOptions = new Set([
  '--require',
  '-r',
  '--import',
  '--loader',
  '--experimental-loader',
  '--experimental-test-module-mocks',
  '--env-file',
  '--env-file-if-exists',
  '--experimental-config-file',
  '--test-global-setup',
  '--conditions',
  '-C',
]);

/** Whether NODE_OPTIONS (or mocha's `node-option`) text holds an option that loads other code. */
export function hasNodePreload(options: string): boolean {
  return shellTokens(options).some((token) => nodePreloadOptions.has(token.text.replace(/=.*/s, '')));
}

const always = () => true;

/**
 * Environment variables that make a runner load other code, with which values count: NODE_OPTIONS only with
 * an option that loads a module (`--max-old-space-size` is fine); PYTHONPATH, LD_PRELOAD and the like always.
 */
const loaderVariables: Record<string, (value: string) => boolean> = {
  NODE_OPTIONS: hasNodePreload,
  // npm reads its config from the environment too: node-options and script-shell as below.
  NPM_CONFIG_NODE_OPTIONS: hasNodePreload,
  npm_config_node_options: hasNodePreload,
  NPM_CONFIG_SCRIPT_SHELL: always,
  npm_config_script_shell: always,
  NODE_PATH: always,
  PYTHONPATH: always,
  PYTHONSTARTUP: always,
  PYTHONHOME: always,
  PYTHONUSERBASE: always,
  PYTEST_PLUGINS: always,
  PYTEST_ADDOPTS: (value) => /(?:^|\s)(?:-p\s*(?!no:)\S|-c\s|--config-file|--confcutdir)/.test(value),
  LD_PRELOAD: always,
  LD_AUDIT: always,
  DYLD_INSERT_LIBRARIES: always,
  BASH_ENV: always,
  RUBYOPT: always,
  PERL5OPT: always,
  JAVA_TOOL_OPTIONS: always,
  _JAVA_OPTIONS: always,
  JDK_JAVA_OPTIONS: always,
  GOFLAGS: (value) => /-(?:toolexec|overlay|exec)\b/.test(value),
  RUSTC_WRAPPER: always,
  RUSTC_WORKSPACE_WRAPPER: always,
};

/** Whether setting `name` to `value` makes the runner load other code. */
export function isLoaderVariable(name: string, value: string): boolean {
  return loaderVariables[name]?.(value) ?? false;
}

/** Who reads the variable, for the message. */
export function readerOf(name: string): string {
  if (name.startsWith('NODE_')) return 'node';
  if (/^npm_config_/i.test(name)) return 'npm';
  if (name.startsWith('PYTEST_')) return 'pytest';
  if (name.startsWith('PYTHON')) return 'python';
  return 'every process the tests start';
}
