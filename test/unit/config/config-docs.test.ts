import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../../src/config/config-docs.ts';
import { configJsonSchema } from '../../../src/config/json-schema.ts';

/** Every field name of every object anywhere in the schema, with where it is. */
function allFields(node: unknown, path: string, found: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(node)) {
    for (const item of node) allFields(item, path, found);
  } else if (typeof node === 'object' && node !== null) {
    const { properties } = node as { properties?: Record<string, unknown> };
    for (const name of Object.keys(properties ?? {})) found.push([`${path}.${name}`, name]);
    for (const [key, value] of Object.entries(node))
      allFields(value, key === 'properties' ? path : `${path}.${key}`, found);
  }
  return found;
}

describe('docs/config.md', () => {
  const docs = renderConfigDocs();
  const headings = docs.split('\n').filter((line) => line.startsWith('## '));

  it.each(['pricing.<name>', 'guard', 'review', 'review.cost', 'queue', 'setup[]', 'gates.<name>.invariant.assert[]'])(
    'has a section for %s',
    (title) => {
      expect(headings).toContain(`## \`${title}\``);
    },
  );

  it('documents the { that, name } form of invariant assertions', () => {
    const section = docs.split('## `gates.<name>.invariant.assert[]`')[1]?.split('\n## ')[0] ?? '';
    expect(section).toContain('| `that` (required) | string |');
    expect(section).toContain('| `name` | string |');
    expect(section).toMatch(/Either a string, or an object/);
  });

  it('documents every field of every block in the schema', () => {
    const rows = new Set([...docs.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1]));
    const missing = allFields(configJsonSchema(), '').filter(([, name]) => !rows.has(name));
    expect(missing).toEqual([]);
  });

  it('has no empty section: each says what it is', () => {
    const sections = docs.split('\n## ').slice(1);
    const bare = sections.filter((text) => text.split('\n')[2]?.trim() === '' && text.split('\n')[3]?.startsWith('|'));
    expect(bare.map((text) => text.split('\n')[0])).toEqual([]);
  });
});
