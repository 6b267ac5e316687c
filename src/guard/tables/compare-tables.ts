import { type DrivingTable, nameFields, type TableRow } from './driving-table.ts';

/** A table at the base and the same table in the working tree. */
export interface TablePair {
  before: DrivingTable;
  after: DrivingTable;
}

/** What became of a row of the base: gone, its values changed, or kept but marked to skip or fail. */
export type RowChange =
  | { kind: 'removed'; was: TableRow }
  | { kind: 'changed'; was: TableRow; now: TableRow; differences: string[] }
  | { kind: 'skipped'; was: TableRow; now: TableRow };

/** Values that check nothing when they stand where an expected value was. */
export const emptyValues = new Set(['undefined', 'null', 'None', 'nil', 'void 0']);
const skipFieldName = /^(?:skip|skipped|todo|xfail|pending|disabled|failing|ignore|flaky)$/i;

/**
 * Pair the tables of both sides: the same variable first, then the same table text, then the table sharing most rows (an inline table
 * moved into a variable, a loop turned into `test.each`). Base tables with no counterpart are `lost`.
 */
export function matchTables(
  before: readonly DrivingTable[],
  after: readonly DrivingTable[],
): { pairs: TablePair[]; lost: DrivingTable[] } {
  const left = [...after];
  const pairs: TablePair[] = [];
  const lost: DrivingTable[] = [];
  const take = (table: DrivingTable, index: number) => {
    const [match] = left.splice(index, 1);
    if (match) pairs.push({ before: table, after: match });
  };
  const unnamed: DrivingTable[] = [];
  for (const table of before) {
    const index = table.named ? left.findIndex((other) => other.named && other.name === table.name) : -1;
    if (index === -1) unnamed.push(table);
    else take(table, index);
  }
  const rest: DrivingTable[] = [];
  for (const table of unnamed) {
    const index = left.findIndex((other) => other.source === table.source);
    if (index === -1) rest.push(table);
    else take(table, index);
  }
  for (const table of rest) {
    const scores = left.map((other) => overlap(table.rows, other.rows));
    const best = Math.max(0, ...scores);
    if (best === 0) lost.push(table);
    else take(table, scores.indexOf(best));
  }
  return { pairs, lost };
}

function overlap(a: readonly TableRow[], b: readonly TableRow[]): number {
  const keys = new Set(b.map((row) => row.key));
  const names = new Set(b.flatMap((row) => (row.name === undefined ? [] : [row.name])));
  return a.filter((row) => keys.has(row.key) || (row.name !== undefined && names.has(row.name))).length;
}

/**
 * What became of each base row. A row is kept when the same row is still there (anywhere: order does not
 * matter), or one that checks as much and more: the same fields and values with fields or trailing values
 * added, its name changed, or a mark that skipped it taken away. A row with the same name but other values is
 * changed; a row found nowhere, not even in another table of the file (`elsewhere`, row keys), is removed.
 */
export function rowChanges(
  before: readonly TableRow[],
  after: readonly TableRow[],
  elsewhere: ReadonlySet<string> = new Set(),
): RowChange[] {
  const left = [...after];
  const takeWhere = (matches: (row: TableRow) => boolean) => {
    const index = left.findIndex(matches);
    return index === -1 ? undefined : left.splice(index, 1)[0];
  };
  const pending = before.filter((was) => !takeWhere((now) => now.key === was.key));
  const changes: RowChange[] = [];
  const unexplained = pending.filter((was) => {
    const now =
      takeWhere((row) => row.name === was.name && checksAtLeast(was, row)) ??
      takeWhere((row) => checksAtLeast(was, row));
    if (now?.skipped && !was.skipped) changes.push({ kind: 'skipped', was, now });
    return now === undefined;
  });
  for (const was of unexplained) {
    // A row moved to another table of the file (a table split in two) still runs.
    if (elsewhere.has(was.key)) continue;
    const now = was.name === undefined ? undefined : takeWhere((row) => row.name === was.name);
    changes.push(now ? { kind: 'changed', was, now, differences: differencesOf(was, now) } : { kind: 'removed', was });
  }
  return changes.sort((a, b) => a.was.line - b.was.line);
}

/**
 * Whether `now` checks everything `was` checks: its fields and values, maybe more. Skip marks are compared apart;
 * a name field may change (a row renamed, as a test may be).
 */
function checksAtLeast(was: TableRow, now: TableRow): boolean {
  if (was.fields && now.fields) {
    return [...was.fields].every(
      ([field, value]) =>
        skipFieldName.test(field) || nameFields.has(field.toLowerCase()) || now.fields?.get(field) === value,
    );
  }
  if (was.fields || now.fields || was.values.length === 0) return false;
  return was.values.every((value, index) => now.values[index] === value);
}

/** `want: 4 -> -4`, `value 2: 2097152 -> None`: what a changed row asserts otherwise. */
function differencesOf(was: TableRow, now: TableRow): string[] {
  if (was.fields && now.fields) {
    const fields = [...new Set([...was.fields.keys(), ...now.fields.keys()])];
    return fields.flatMap((field) => {
      const [a, b] = [was.fields?.get(field), now.fields?.get(field)];
      return a === b ? [] : [`${field}: ${a ?? '(none)'} -> ${b ?? '(removed)'}`];
    });
  }
  const length = Math.max(was.values.length, now.values.length);
  const differences: string[] = [];
  for (let index = 0; index < length; index++) {
    const [a, b] = [was.values[index], now.values[index]];
    if (a !== b) differences.push(`value ${index + 1}: ${a ?? '(none)'} -> ${b ?? '(removed)'}`);
  }
  return differences.length > 0 ? differences : [`\`${was.text}\` -> \`${now.text}\``];
}

/** The innermost table whose driver holds `line`: the table that drives a test written there. */
export function tableDriving(tables: readonly DrivingTable[], line: number): DrivingTable | undefined {
  let found: DrivingTable | undefined;
  for (const table of tables) {
    const { start, end } = table.driver;
    if (start <= line && line <= end && (!found || end - start < found.driver.end - found.driver.start)) found = table;
  }
  return found;
}
