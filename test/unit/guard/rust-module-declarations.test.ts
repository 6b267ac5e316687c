import { describe, expect, it } from 'vitest';
import { mayDropModules, moduleDeclarations } from '../../../src/guard/rust/module-declarations.ts';

const filesOf = (path: string, source: string) =>
  Object.fromEntries([...moduleDeclarations(path, source)].map(([name, declaration]) => [name, declaration.files]));

describe('Rust module declarations with #[path] and on one line', () => {
  it('reads attributes on the same line and above, and a #[path] from the folder of the declaring file', () => {
    const source = [
      '#[cfg(test)] mod tests;',
      '#[cfg(test)]',
      '#[path = "checks/cart.rs"]',
      'mod checks;',
      '#[path = "../shared/fixtures.rs"] #[cfg(test)] pub(crate) mod fixtures;',
      '#[cfg(any())] #[path = "never.rs"] mod never;',
    ].join('\n');
    expect(filesOf('src/cart.rs', source)).toEqual({
      tests: ['src/cart/tests.rs', 'src/cart/tests/mod.rs'],
      checks: ['src/checks/cart.rs'],
      fixtures: ['shared/fixtures.rs'],
    });
    expect(moduleDeclarations('src/cart.rs', source).get('checks')?.line).toBe(4);
  });

  it('takes a declaration pointed at another file for a dropped one, and the same file spelled out for none', () => {
    const before = '#[cfg(test)]\nmod tests;\n';
    expect(mayDropModules('src/cart.rs', before, '#[cfg(test)]\n#[path = "smoke.rs"]\nmod tests;\n')).toBe(true);
    expect(mayDropModules('src/cart.rs', before, '#[cfg(test)] mod tests;\n')).toBe(false);
    expect(mayDropModules('src/cart.rs', '#[cfg(test)] #[path = "cart/tests.rs"] mod tests;\n', before)).toBe(true);
    expect(mayDropModules('src/cart.rs', '#[cfg(test)] mod tests;\n', 'pub fn total() {}\n')).toBe(true);
  });
});
