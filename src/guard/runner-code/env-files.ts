import { commandLineLoads, preloadedFiles } from './command-loads.ts';
import { type FileLoads, folderOf, type LoadPoint, type NamedFile } from './load-point.ts';
import { isLoaderVariable, readerOf } from './loader-variables.ts';

/** `.env`, `.env.test`, `test.env`: read by dotenv, docker, `node --env-file`, and gates that source them. */
export function isDotenvFile(fileName: string): boolean {
  return fileName === '.env' || fileName.startsWith('.env.') || fileName.endsWith('.env');
}

/** Shell files a gate may run or source: scripts, `.envrc` (direnv), shell profiles. */
export function isShellFile(fileName: string): boolean {
  return (
    /\.(?:sh|bash|zsh|ksh)$/.test(fileName) ||
    ['.envrc', '.profile', '.bashrc', '.bash_profile', '.zshrc', '.zshenv'].includes(fileName)
  );
}

/** The loader variables a dotenv file sets: `KEY=value`, `export KEY="value"`, `KEY=value # note`. */
export function dotenvLoads(path: string, source: string): FileLoads {
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  source.split(/\r?\n/).forEach((text, index) => {
    const pair = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*[=:]\s*(.*)$/.exec(text);
    if (!pair) return;
    const [, name = '', raw = ''] = pair;
    const value = dotenvValue(raw);
    if (isLoaderVariable(name, value)) {
      points.push({ setting: name, value, line: index + 1, runner: readerOf(name) });
      if (name === 'NODE_OPTIONS') named.push(...preloadedFiles(value, folderOf(path), `${path}:${index + 1} ${name}`));
    }
  });
  return { points, named };
}

function dotenvValue(raw: string): string {
  const quoted = /^(["'`])([\s\S]*?)\1/.exec(raw.trim());
  const value = quoted ? (quoted[2] ?? '') : raw.replace(/\s+#.*$/, '');
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The loads of a shell file, line by line (backslash continuations joined): variables it sets or exports,
 * options that preload code in the commands it runs.
 */
export function shellFileLoads(path: string, source: string): FileLoads {
  const loads: FileLoads = { points: [], named: [] };
  let pending: { text: string; line: number } | undefined;
  source.split(/\r?\n/).forEach((text, index) => {
    const joined = pending ? { text: `${pending.text}\n${text}`, line: pending.line } : { text, line: index + 1 };
    if (/(?:^|[^\\])(?:\\\\)*\\$/.test(text)) {
      pending = { text: joined.text.slice(0, -1), line: joined.line };
      return;
    }
    pending = undefined;
    const found = commandLineLoads(joined.text, { setting: '', line: joined.line, dir: folderOf(path), file: path });
    loads.points.push(...found.points);
    loads.named.push(...found.named);
  });
  return loads;
}

/** npm settings that run other code: node options for every script, the shell scripts run in, other config files. */
const npmLoaders = new Set(['node-options', 'script-shell', 'onload-script', 'userconfig', 'globalconfig']);

/** The settings of an `.npmrc` (any folder) that make npm run other code before the test script. */
export function npmrcLoads(path: string, source: string): FileLoads {
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  source.split(/\r?\n/).forEach((text, index) => {
    const pair = /^\s*([^=#;\s][^=]*?)\s*=\s*(.*)$/.exec(text);
    const key = pair?.[1]?.toLowerCase().replaceAll('_', '-') ?? '';
    if (!npmLoaders.has(key)) return;
    const value = (pair?.[2] ?? '')
      .replace(/^(["'])(.*)\1$/, '$2')
      .replace(/\s+/g, ' ')
      .trim();
    points.push({ setting: key, value, line: index + 1, runner: 'npm' });
    if (key === 'node-options') named.push(...preloadedFiles(value, folderOf(path), `${path}:${index + 1} ${key}`));
  });
  return { points, named };
}
