import { parse, type TomlTable, type TomlValue } from 'smol-toml';

/** The parsed document, or undefined when it is no valid TOML (the runner would refuse it too). */
export function parseToml(source: string): TomlTable | undefined {
  try {
    return parse(source);
  } catch {
    return undefined;
  }
}

/** The table at `keys` under `table`, or undefined when a key is missing or holds no table. */
export function tableAt(table: TomlTable | undefined, ...keys: string[]): TomlTable | undefined {
  let current: TomlValue | undefined = table;
  for (const key of keys) current = isTable(current) ? current[key] : undefined;
  return isTable(current) ? current : undefined;
}

export function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A scalar as text (`true`, `42`, the string itself); an array or table as JSON. */
export function tomlText(value: TomlValue): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The 1-based line where `key` is assigned, searching from the header of `table` (`tool.pytest.ini_options`,
 * `[[test]]` number `occurrence`) when given; 1 when not found. The parser keeps no positions.
 */
export function lineOfKey(source: string, key: string, table?: string, occurrence = 0): number {
  const lines = source.split(/\r?\n/);
  let start = 0;
  if (table !== undefined) {
    const header = new RegExp(`^\\s*\\[{1,2}\\s*${escapeRegExp(table)}\\s*\\]{1,2}`);
    const headers = lines.flatMap((line, index) => (header.test(line) ? [index] : []));
    start = headers[occurrence] ?? 0;
  }
  const assignment = new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`);
  const found = lines.findIndex((line, index) => index >= start && assignment.test(line));
  return found === -1 ? start + 1 : found + 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
