import type { ChangedFile } from '../changed-files.ts';

/** Which side of the change a runner's configuration is read from. */
export type Side = 'before' | 'after';

/**
 * The files on one side of the change that decide what a runner collects (`isCollectionConfig`): a changed
 * file's content on that side, else the unchanged file at the base (the same on both sides). Only the folders
 * of changed files and those above them are known: where the configs that govern a changed test file sit.
 */
export type ConfigSide = (path: string) => string | undefined;

const jsConfigName =
  /^(?:(?:vitest|vite|jest)(?:\.[\w-]+)*\.config(?:\.[\w-]+)*|vitest\.(?:workspace|projects)|ava\.config)\.[cm]?[jt]s$|^jest\.config\.json$|^\.mocharc(?:\.[\w]+)?$/;
const otherConfigNames = new Set([
  'package.json',
  'pytest.ini',
  '.pytest.ini',
  'pyproject.toml',
  'tox.ini',
  'setup.cfg',
  'conftest.py',
  'go.mod',
]);

/** Whether `path` is a file that says which test files a runner collects (`package.json`, `vitest.config.ts`, `pytest.ini`, `go.mod`...). */
export function isCollectionConfig(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return otherConfigNames.has(name) || jsConfigName.test(name);
}

export function configSide(
  side: Side,
  changed: readonly ChangedFile[],
  unchangedAtBase: ReadonlyMap<string, string> | undefined,
): ConfigSide {
  const byPath = new Map(changed.map((file) => [file.path, file]));
  return (path) => {
    const file = byPath.get(path);
    if (file) return file[side];
    return unchangedAtBase?.get(path);
  };
}

/** `a/b/` for `a/b/c.js`, '' at the top. */
export function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** The folders from `path`'s own up to the top ('' last): `a/b/`, `a/`, ''. */
export function foldersAbove(path: string): string[] {
  const folders: string[] = [];
  for (let folder = folderOf(path); ; folder = folderOf(folder.slice(0, -1))) {
    folders.push(folder);
    if (folder === '') return folders;
  }
}

/**
 * The folder above `path` where the runner's configuration starts (`marks`: a package.json, a pytest ini file is
 * there), nearest first, but for one the change added while a folder further up has one too: a package.json or
 * pytest.ini planted beside moved tests does not move the runner, which still starts where it did.
 */
export function configRoot(
  path: string,
  side: ConfigSide,
  baseSide: ConfigSide,
  marks: (folder: string, side: ConfigSide) => boolean,
): string | undefined {
  const marked = foldersAbove(path).filter((folder) => marks(folder, side));
  return marked.find((folder, index) => index === marked.length - 1 || marks(folder, baseSide));
}
