/**
 * `mod tests;` (with `pub`, `pub(crate)`...): a module whose code is in a file of its own, with the `#[cfg(...)]`
 * written on the line above it, if any.
 */
const outOfLineModule =
  /^(?:[ \t]*#\[[ \t]*cfg[ \t]*\(([^\n]*)\)[ \t]*\][ \t]*\r?\n)?[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(\w+)[ \t]*;/gm;
/** A test function in Rust source: `#[test]`, `#[tokio::test]`, `#[rstest]`. */
const testAttribute = /#\[\s*(?:\w+::)?(?:test|rstest)\b[^\]]*\]/g;

/**
 * The out-of-line modules `source` declares and cargo compiles for its tests, by name: one under another
 * condition than `#[cfg(test)]` (`#[cfg(any())]`, a feature) is left out, as it is not compiled by `cargo test`.
 */
export function declaredModules(source: string): Set<string> {
  const compiled = [...source.matchAll(outOfLineModule)].filter(
    (match) => match[1] === undefined || match[1].replace(/\s+/g, '') === 'test',
  );
  return new Set(compiled.map((match) => match[2] ?? ''));
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

/** Whether a changed Rust file may have dropped a module declaration: worth reading its folder at the base. */
export function mayDropModules(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  const now = declaredModules(after);
  return [...declaredModules(before)].some((name) => !now.has(name));
}
