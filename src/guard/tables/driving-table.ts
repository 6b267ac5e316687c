import type { SgNode } from '@ast-grep/napi';
import { type TokenRules, tokenForm } from '../tests/token-form.ts';

/** One row of a table that drives tests: a case of `test.each`, a `parametrize` value, a Go table entry. */
export interface TableRow {
  /** The row as written, on one line, for messages. */
  text: string;
  line: number;
  /** The row reduced to tokens: equal keys mean the same row, however it is formatted. */
  key: string;
  /** What a person calls the row: its name field, `id=`, map key or case name, else its first value or field. */
  name: string | undefined;
  /** A keyed row (an object, a Go struct with field names): each field's value, reduced to tokens. */
  fields: ReadonlyMap<string, string> | undefined;
  /** A positional row (an array, a tuple, rstest case arguments): each value reduced to tokens. */
  values: readonly string[];
  /** Its literal values, in order, as the tests' token forms read them. */
  literals: readonly string[];
  /** The row is kept from failing: a `pytest.param(..., marks=pytest.mark.xfail)`, a `skip: true` field. */
  skipped: boolean;
}

/** A table whose rows each run a test or a round of assertions. */
export interface DrivingTable {
  /** How the table is known: the variable it is held in, or where it is written (`parametrize of test_x`). */
  name: string;
  /** Whether `name` is a variable name, which names the same table on both sides of a change. */
  named: boolean;
  line: number;
  /** The table as written: equal sources need no comparison of their rows. */
  source: string;
  /** Its rows, read when first asked for (most tables of a changed file are as they were). */
  readonly rows: TableRow[];
  /** Lines of the loop, `each` call or decorated test that runs the rows: tests written inside it are driven by it. */
  driver: { start: number; end: number };
  /** The expression the rows are taken through when it may drop some (`cases.filter(...)`, `CASES[:2]`). */
  narrowedBy: string | undefined;
  /** `continue` and `break` statements in the loop that runs the rows: each may leave rows out. */
  exits: number;
}

/** A table whose rows are read from its node when first asked for. */
export function withLazyRows(table: Omit<DrivingTable, 'rows'>, read: () => TableRow[]): DrivingTable {
  let rows: TableRow[] | undefined;
  return Object.defineProperty(table as DrivingTable, 'rows', {
    get: () => {
      rows ??= read();
      return rows;
    },
    enumerable: true,
  });
}

/** Fields that name a row, in the spellings table-driven tests use. */
export const nameFields = new Set([
  'name',
  'title',
  'desc',
  'description',
  'label',
  'scenario',
  'case',
  'test',
  'testname',
]);
/** Fields that keep a row from running or failing when set to anything but false. */
const skipFields = new Set(['skip', 'skipped', 'todo', 'xfail', 'pending', 'disabled', 'failing', 'ignore', 'flaky']);
const falseValues = new Set(['false', 'False', 'nil', 'None', 'null', 'undefined', '0', '']);

/** The parts of a row a language reader found; the rest is derived the same way for every language. */
export interface RowParts {
  node: SgNode;
  fields?: Array<[string, SgNode]>;
  values?: SgNode[];
  /** A name given outside the values: a Go map key, `id=`, `#[case::name]`. */
  name?: string;
  skipped?: boolean;
  /** The row's text when it is not the node's own (a line of a tagged template table). */
  text?: string;
}

/** A row from its parts, its tokens read under the language's `rules`. */
export function rowOf(parts: RowParts, rules: TokenRules): TableRow {
  const keyOf = (node: SgNode) => tokenForm(node, rules).key;
  const whole = tokenForm(parts.node, rules);
  const fields = parts.fields && new Map(parts.fields.map(([field, value]) => [field, keyOf(value)]));
  const values = (parts.values ?? []).map(keyOf);
  const named = parts.fields?.find(([field]) => nameFields.has(field.toLowerCase()))?.[1];
  // Without a name, a row goes by its first value (the input, in most tables), so a changed expectation reads as such.
  const first = parts.values?.[0] ?? parts.fields?.[0]?.[1];
  const skipField = parts.fields?.some(
    ([field, value]) => skipFields.has(field.toLowerCase()) && !falseValues.has(keyOf(value)),
  );
  return {
    text: flat(parts.text ?? parts.node.text()),
    line: parts.node.range().start.line + 1,
    key: whole.key,
    literals: whole.literals,
    name: parts.name ?? (named ? keyOf(named) : first ? keyOf(first) : undefined),
    fields,
    values,
    skipped: (parts.skipped ?? false) || skipField === true,
  };
}

/** Lines of a node, 1-based. */
export function linesOf(node: SgNode): { start: number; end: number } {
  const { start, end } = node.range();
  return { start: start.line + 1, end: end.line + 1 };
}

/** The named children of a node but comments. */
export function elementsOf(node: SgNode): SgNode[] {
  return node.children().filter((child) => child.isNamed() && !String(child.kind()).includes('comment'));
}

/**
 * The last declaration of `name` that a reader accepts, written before `line` if any is (the one a loop sees),
 * else the first after it (a table declared below the tests that use it, at module level).
 */
export function declarationOf<T>(candidates: Array<{ line: number; value: T }>, line: number): T | undefined {
  const before = candidates.filter((candidate) => candidate.line <= line);
  return (before.at(-1) ?? candidates[0])?.value;
}

/** A row's text on one line, cut to a length a message can carry. */
function flat(text: string, limit = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** The `continue` and `break` statements in a loop body's text (those of nested loops too: only a change in count matters). */
export function exitsIn(body: SgNode | null): number {
  return body?.text().match(/\b(?:continue|break)\b/g)?.length ?? 0;
}
