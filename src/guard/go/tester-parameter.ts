import type { SgNode } from '@ast-grep/napi';

/** The name of a `*testing.T`/`B`/`F` parameter of a function, if it has one. */
export function testerParameterOf(fn: SgNode): string | undefined {
  const parameters = fn.field('parameters')?.children() ?? [];
  const declaration = parameters.find(
    (child) =>
      child.kind() === 'parameter_declaration' && /^\*\s*testing\.[TBF]$/.test(child.field('type')?.text() ?? ''),
  );
  const name = declaration?.field('name')?.text();
  return name === '_' ? undefined : name;
}
