import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { parse as parseYaml } from 'yaml';
import { languageOf } from '../js/test-files.ts';

/** A `key: value` of a config, with the keys of the objects around it; an object value has no entry of its own. */
export interface OptionEntry {
  /** Keys from the outermost object in: `['test', 'setupFiles']`. */
  keys: string[];
  /** A scalar as one value, an array as its elements; strings by content, other code as written, spaces removed. */
  values: string[];
  line: number;
}

/** The options of a JS config, JSON file, and the local modules it imports (`./vitest.shared`). */
export interface ConfigOptions {
  entries: OptionEntry[];
  imports: string[];
}

/**
 * The `key: value` pairs of the object literals of a JS or TS config (or JSON, read as JS). A value or a
 * shorthand property (`{ setupFiles }`) that names a variable of the file reads as the variable's value, so
 * moving an option into a `const` hides nothing.
 */
export function scriptOptions(path: string, source: string): ConfigOptions {
  const json = path.endsWith('.json') || path.endsWith('.jsonc') || !/\.[cm]?[jt]sx?$/.test(path);
  // JSON is a JS expression once parenthesized; the `(` goes on the first line so line numbers hold.
  const root = parse(json ? Lang.JavaScript : languageOf(path), json ? `(${source}\n)` : source).root();
  const declared = new Map<string, SgNode>();
  for (const declarator of root.findAll({ rule: { kind: 'variable_declarator' } })) {
    const name = declarator.field('name');
    const value = declarator.field('value');
    if (name?.kind() === 'identifier' && value) declared.set(name.text(), value);
  }
  const resolve = (node: SgNode): SgNode => {
    let current = node;
    const named = (node: SgNode) => node.kind() === 'identifier' || node.kind() === 'shorthand_property_identifier';
    for (let depth = 0; depth < 4 && named(current); depth++) {
      const value = declared.get(current.text());
      if (!value) break;
      current = value;
    }
    return current;
  };
  const entries: OptionEntry[] = [];
  const add = (keys: string[] | undefined, node: SgNode, line: number) => {
    const value = resolve(node);
    if (keys && value.kind() !== 'object') entries.push({ keys, values: valuesOf(value), line });
    // An option set from a variable holding an object: its pairs sit under the variable's keys.
    if (keys && value !== node && value.kind() === 'object') {
      for (const pair of value.children().filter((child) => child.kind() === 'pair')) {
        const key = keyOf(pair);
        const inner = pair.field('value');
        if (key !== undefined && inner) add([...keys, key], inner, pair.range().start.line + 1);
      }
    }
  };
  for (const pair of root.findAll({ rule: { kind: 'pair' } })) {
    const value = pair.field('value');
    if (value) add(keysTo(pair), value, pair.range().start.line + 1);
  }
  for (const shorthand of root.findAll({ rule: { kind: 'shorthand_property_identifier' } })) {
    const parentKeys = keysTo(shorthand);
    add(parentKeys && [...parentKeys, shorthand.text()], shorthand, shorthand.range().start.line + 1);
  }
  return { entries, imports: json ? [] : localImports(root) };
}

/** The options of a YAML config (`.mocharc.yml`, `.nycrc.yaml`), with the line of each key. */
export function yamlOptions(source: string): OptionEntry[] {
  let document: unknown;
  try {
    document = parseYaml(source, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  const lines = source.split(/\r?\n/);
  const entries: OptionEntry[] = [];
  const walk = (value: unknown, keys: string[]) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...keys, key]);
      return;
    }
    const key = keys.at(-1) ?? '';
    const found = lines.findIndex((line) => new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*:`).test(line));
    const values = (Array.isArray(value) ? value : [value]).map((item) =>
      typeof item === 'object' ? JSON.stringify(item) : String(item),
    );
    entries.push({ keys, values, line: found + 1 || 1 });
  };
  walk(document, []);
  return entries;
}

/** The keys from the outermost enclosing pair to `node`; undefined under a computed key. */
function keysTo(node: SgNode): string[] | undefined {
  const keys: string[] = [];
  for (const ancestor of [node, ...node.ancestors()]) {
    if (ancestor.kind() !== 'pair') continue;
    const key = keyOf(ancestor);
    if (key === undefined) return undefined;
    keys.unshift(key);
  }
  return keys;
}

function keyOf(pair: SgNode): string | undefined {
  const key = pair.field('key');
  if (!key || key.kind() === 'computed_property_name') return undefined;
  return key.kind() === 'string' ? unquote(key.text()) : key.text();
}

function valuesOf(node: SgNode): string[] {
  if (node.kind() !== 'array') return [scalarOf(node)];
  return node
    .children()
    .filter((child) => child.isNamed() && child.kind() !== 'comment')
    .map(scalarOf);
}

/** A string's content; other code as written, with comments, spaces and trailing commas taken out. */
function scalarOf(node: SgNode): string {
  const kind = node.kind();
  if (kind === 'string' || kind === 'template_string') return unquote(node.text());
  const parts: string[] = [];
  const visit = (current: SgNode) => {
    if (current.kind() === 'comment') return;
    const children = current.children();
    if (current.kind() === 'string') parts.push(`'${unquote(current.text())}'`);
    else if (children.length === 0) parts.push(current.text());
    else for (const child of children) visit(child);
  };
  visit(node);
  // Words keep one space between them (`new URL`); everything else is glued, so spacing changes nothing.
  return parts
    .reduce((text, part) => (/\w$/.test(text) && /^\w/.test(part) ? `${text} ${part}` : text + part), '')
    .replace(/,([)\]}])/g, '$1');
}

/** Relative modules the config imports or requires: they are part of the config. */
function localImports(root: SgNode): string[] {
  const specifiers = [
    ...root.findAll({ rule: { kind: 'import_statement' } }).map((node) => node.field('source')),
    ...root.findAll({ rule: { kind: 'call_expression', regex: '^(?:require|import)\\s*\\(' } }).map((node) =>
      node
        .field('arguments')
        ?.children()
        .find((child) => child.kind() === 'string'),
    ),
  ];
  return specifiers
    .map((node) => (node ? unquote(node.text()) : ''))
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

function unquote(text: string): string {
  return /^(["'`])[\s\S]*\1$/.test(text) ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
