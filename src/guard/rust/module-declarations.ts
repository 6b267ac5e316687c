/**
 * `mod tests;` (with `pub`, `pub(crate)`...): a module whose code is in a file of its own, with the attributes
 * written before it (`#[cfg(test)]`, `#[path = "..."]`), on the lines above or the same line.
 */
const outOfLineModule =
  /^((?:[ \t]*#\[[^\]\n]*\][ \t]*(?:\r?\n)?)*)[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*;/gm;
/** A test function in Rust source: `#[test]`, `#[tokio::test]`, `#[rstest]`. */
const testAttribute = /#\[\s*(?:\w+::)?(?:test|rstest)\b[^\]]*\]/g;

/** An out-of-line module `cargo test` compiles: the files it may be read from, and the line it is declared on. */
export interface ModuleDeclaration {
  name: string;
  /** Where rustc looks for it: `#[path]`'s file if given, else `name.rs` then `name/mod.rs` (see `moduleFiles`). */
  files: string[];
  line: number;
}

/**
 * The out-of-line modules the Rust file at `path` declares and cargo compiles for its tests, by name: one under
 * another condition than `#[cfg(test)]` (`#[cfg(any())]`, a feature) is left out, as `cargo test` does not
 * compile it. A `#[path = "..."]` is read from the folder of the declaring file, as rustc does for a module
 * declared outside inline `mod { }` blocks.
 */
export function moduleDeclarations(path: string, source: string): Map<string, ModuleDeclaration> {
  const declared = new Map<string, ModuleDeclaration>();
  if (!source.includes('mod')) return declared;
  for (const match of source.matchAll(outOfLineModule)) {
    const attributes = match[1] ?? '';
    const conditions = [...attributes.matchAll(/#\[[ \t]*cfg[ \t]*\(([^\n]*)\)[ \t]*\]/g)];
    if (conditions.some((condition) => (condition[1] ?? '').replace(/\s+/g, '') !== 'test')) continue;
    const name = match[2] ?? '';
    const given = /#\[[ \t]*path[ \t]*=[ \t]*"([^"]*)"[ \t]*\]/.exec(attributes)?.[1];
    const files =
      given === undefined ? moduleFiles(path, name) : [joinPath(path.slice(0, path.lastIndexOf('/') + 1), given)];
    const line = source.slice(0, (match.index ?? 0) + attributes.length).split('\n').length;
    declared.set(name, { name, files, line });
  }
  return declared;
}

/** The names of the out-of-line modules `source` declares and cargo compiles for its tests (see moduleDeclarations). */
export function declaredModules(source: string): Set<string> {
  return new Set(moduleDeclarations('src/lib.rs', source).keys());
}

/** `folder` + `relative`, with `.` and `..` segments resolved. */
function joinPath(folder: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${folder}${relative}`.split('/')) {
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

/**
 * The files the module `name`, declared in `path`, may live in: beside `lib.rs`/`main.rs`/`mod.rs`, in a folder
 * named after any other file (`src/shop.rs` -> `src/shop/`).
 */
export function moduleFiles(path: string, name: string): string[] {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  const file = path.slice(slash + 1);
  const home = /^(?:lib|main|mod)\.rs$/.test(file) ? folder : `${folder}${file.replace(/\.rs$/, '')}/`;
  return [`${home}${name}.rs`, `${home}${name}/mod.rs`];
}

/** How many test functions a Rust source holds, by their attributes. */
export function testFunctionCount(source: string): number {
  return [...source.matchAll(testAttribute)].length;
}

/**
 * Whether a changed Rust file may have dropped a module declaration, or pointed one at another file: worth
 * reading its folder at the base.
 */
export function mayDropModules(path: string, before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  const now = moduleDeclarations(path, after);
  return [...moduleDeclarations(path, before).values()].some(
    (declaration) => now.get(declaration.name)?.files.join('\0') !== declaration.files.join('\0'),
  );
}
