import { relative, resolve } from 'node:path';

/**
 * A Sluice command line to suggest to the person at the terminal, spelled so it works where they
 * are: `npx sluice` when they started Sluice through npm (`npx`, an npm script: it need not be on
 * their PATH), and `-C <folder>` when the repository is not the folder they are in.
 */
export function commandHint(args: string, repositoryDir?: string): string {
  const prefix = process.env.npm_command === undefined ? 'sluice' : 'npx sluice';
  return `${prefix} ${args}${repositoryDir === undefined ? '' : folderFlag(resolve(repositoryDir))}`;
}

function folderFlag(dir: string): string {
  const fromHere = relative(process.cwd(), dir);
  if (fromHere === '') return '';
  return ` -C ${quoteForShell(fromHere.startsWith('..') ? dir : fromHere)}`;
}

function quoteForShell(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
