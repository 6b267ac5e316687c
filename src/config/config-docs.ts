import { configJsonSchema } from './json-schema.ts';

interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
}

/** The config reference in Markdown, generated from the JSON Schema (and so from the zod schema). */
export function renderConfigDocs(): string {
  const root = configJsonSchema() as SchemaNode;
  const gates = root.properties?.gates?.additionalProperties as SchemaNode;
  const sections = [
    '# sluice.yaml reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run schema`; do not edit by hand. -->',
    '',
    root.description ?? '',
    '',
    '## Top level',
    '',
    fieldTable(root),
    '',
    '## `gates.<name>`',
    '',
    `${gates.description ?? ''} Gate names use letters, digits, \`.\`, \`_\` and \`-\`.`,
    '',
    fieldTable(gates),
    '',
    '## `gates.<name>.report`',
    '',
    gates.properties?.report?.description ?? '',
    '',
    fieldTable(gates.properties?.report ?? {}),
    '',
    ...judgedKindSections(root, gates),
    '## `feedback`',
    '',
    fieldTable(root.properties?.feedback ?? {}),
    '',
    ...['agent', 'budgets', 'stall', 'notify'].flatMap((name) => {
      const section = root.properties?.[name] ?? {};
      return [`## \`${name}\``, '', section.description ?? '', '', fieldTable(section), ''];
    }),
  ];
  // Every other block of fields (pricing, guard, review, queue, setup, ...), found by walking the
  // schema: a section added to the zod schema is documented without anyone remembering to list it.
  const written = new Set(sections.filter((line) => line.startsWith('## `')).map((line) => line.slice(4, -1)));
  const rest = fieldBlocks(root, '').filter((block) => !written.has(block.title));
  return [...sections, ...rest.flatMap((block) => section(block.title, block.node))].join('\n');
}

interface FieldBlock {
  title: string;
  node: SchemaNode;
}

/**
 * Every node of the schema that has fields of its own, titled by its path: `<name>` for a map's
 * values, `[]` for a list's items. A union of forms (`"expr"` or `{ that, name }`) is one block
 * holding the fields of its object forms, with the other forms said in words.
 */
function fieldBlocks(node: SchemaNode, path: string): FieldBlock[] {
  return Object.entries(node.properties ?? {}).flatMap(([name, field]) => blocksOf(field, joinPath(path, name)));
}

function blocksOf(field: SchemaNode, path: string): FieldBlock[] {
  if (field.properties) return [{ title: path, node: field }, ...fieldBlocks(field, path)];
  if (field.anyOf?.some((variant) => variant.properties)) {
    const node = unionNode(field);
    return [{ title: path, node }, ...fieldBlocks(node, path)];
  }
  if (field.type === 'array' && field.items) return blocksOf(inheritDescription(field.items, field), `${path}[]`);
  const values = field.additionalProperties;
  if (field.type === 'object' && typeof values === 'object') {
    return blocksOf(inheritDescription(values, field), `${path}.<name>`);
  }
  return [];
}

/** A map's values or a list's items are described on the map or list. */
function inheritDescription(inner: SchemaNode, outer: SchemaNode): SchemaNode {
  return inner.description || !outer.description ? inner : { ...inner, description: outer.description };
}

function unionNode(field: SchemaNode): SchemaNode {
  const forms = field.anyOf ?? [];
  const objects = forms.filter((variant) => variant.properties);
  const others = [...new Set(forms.filter((variant) => !variant.properties).map(typeName))];
  const words =
    others.length > 0 ? `Either ${others.map(withArticle).join(' or ')}, or an object with these fields.` : '';
  const only = objects.length === 1 ? objects[0] : undefined;
  return {
    description: [field.description, words].filter(Boolean).join(' '),
    properties: Object.assign({}, ...objects.map((variant) => variant.properties)),
    ...(only?.required ? { required: only.required } : {}),
  };
}

function withArticle(type: string): string {
  return /^[a-z]/.test(type) ? `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}` : type;
}

function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Services, and the blocks of the gate kinds Sluice judges itself (bench, invariant, log, http, browser). */
function judgedKindSections(root: SchemaNode, gates: SchemaNode): string[] {
  const gate = gates.properties ?? {};
  const bench = gate.bench ?? {};
  const service = root.properties?.services?.additionalProperties;
  const request = gate.http?.items ?? {};
  return [
    ...section('services.<name>', typeof service === 'object' ? service : {}),
    ...section('services.<name>.ready', {
      description: 'One of three forms: `{ tcp }`, `{ http, status }` or `{ log }`.',
      properties: readinessVariants(service),
    }),
    ...section('gates.<name>.bench', bench),
    ...section('gates.<name>.bench.metrics.<name>', asNode(bench.properties?.metrics?.additionalProperties)),
    ...section('gates.<name>.bench.noise', bench.properties?.noise ?? {}),
    ...section('gates.<name>.invariant', gate.invariant ?? {}),
    ...section('gates.<name>.log', gate.log ?? {}),
    ...section('gates.<name>.http[]', { ...request, description: gate.http?.description ?? request.description }),
    ...section('gates.<name>.http[].expect', request.properties?.expect ?? {}),
    ...section('gates.<name>.browser', gate.browser ?? {}),
  ];
}

function section(title: string, node: SchemaNode): string[] {
  return [`## \`${title}\``, '', node.description ?? '', '', fieldTable(node), ''];
}

function asNode(node: SchemaNode | boolean | undefined): SchemaNode {
  return typeof node === 'object' ? node : {};
}

/** The fields of every form `ready` takes (tcp, http + status, log), as one table. */
function readinessVariants(service: SchemaNode | boolean | undefined): Record<string, SchemaNode> {
  const ready = asNode(service).properties?.ready;
  return Object.assign({}, ...(ready?.anyOf ?? []).map((variant) => variant.properties ?? {}));
}

function fieldTable(node: SchemaNode): string {
  const rows = Object.entries(node.properties ?? {}).map(([name, field]) => {
    const required = node.required?.includes(name) ? ' (required)' : '';
    const fallback = field.default === undefined ? '' : `\`${JSON.stringify(field.default)}\``;
    return `| \`${name}\`${required} | ${typeName(field)} | ${fallback} | ${escapeCell(field.description ?? '')} |`;
  });
  return ['| field | type | default | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function typeName(node: SchemaNode): string {
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.anyOf) return [...new Set(node.anyOf.map(typeName))].join(' or ');
  if (node.type === 'array') return `list of ${typeName(node.items ?? {})}`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return `map of ${typeName(node.additionalProperties)}`;
  }
  if (node.type === 'object' && node.properties) return 'object (below)';
  return Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
