import type { Finding, GuardRule } from '../finding.ts';
import { emptyValues, matchTables, type RowChange, rowChanges, tableDriving } from '../tables/compare-tables.ts';
import type { DrivingTable, TableRow } from '../tables/driving-table.ts';
import type { TestPair } from '../tests/test-changes.ts';
import { oneLine, plural } from './describe.ts';

const shownAtMost = 5;

/**
 * A table that drives tests lost rows or asserts other values: a row of `test.each`, `parametrize`, a Go table
 * or rstest cases removed, its expected value changed (to `undefined`/`None`/`nil` too), marked to skip, or the
 * table narrowed on its way to the tests (`cases.filter(...)`, `tests[:2]`). Rows reordered, reformatted, added
 * or made stricter, and the loop around them rewritten (a renamed variable, a loop turned into `test.each`), are
 * not findings.
 */
export const tableRowChanged: GuardRule = {
  id: 'table-row-changed',
  check({ base, files, pairs }) {
    return files.flatMap((file) => {
      const { before, after } = file.tables;
      if (before.length === 0) return [];
      const where = `${base}:${file.path}`;
      const matched = matchTables(before, after);
      // Rows of every table of the file now, read only when some table changed: a row may move between tables.
      let rowsNow: Set<string> | undefined;
      const elsewhere = () => {
        rowsNow ??= new Set(after.flatMap((table) => table.rows.map((row) => row.key)));
        return rowsNow;
      };
      const findings = matched.pairs.flatMap(({ before: was, after: now }) => [
        ...narrowed(was, now, where),
        ...exited(was, now, where),
        ...(was.source === now.source ? [] : rowFindings(rowChanges(was.rows, now.rows, elsewhere()), was, now, where)),
      ]);
      for (const table of matched.lost) {
        const test = pairs.find((pair) => drives(table, before, pair, file.path));
        if (!test || table.rows.every((row) => elsewhere().has(row.key))) continue;
        findings.push({
          line: test.after.line,
          message:
            `${describe(table)} (line ${table.line} of ${where}, ${plural(table.rows.length, 'row')}) no longer ` +
            `drives test "${test.after.titles.join(' > ')}" here; write the table back into this file with all its ` +
            `rows and run the test over it (the guard checks the rows of tables in the test file)`,
        });
      }
      return findings.map(
        ({ line, message }): Finding => ({ rule: this.id, path: file.path, line, severity: 'block', message }),
      );
    });
  },
};

function drives(table: DrivingTable, tables: readonly DrivingTable[], pair: TestPair, path: string): boolean {
  return pair.before.path === path && tableDriving(tables, pair.before.line) === table;
}

type Found = { line: number; message: string };

function narrowed(was: DrivingTable, now: DrivingTable, where: string): Found[] {
  const spelled = (text: string | undefined) => text?.replace(/\s+/g, '');
  if (!now.narrowedBy || spelled(now.narrowedBy) === spelled(was.narrowedBy)) return [];
  return [
    {
      line: now.driver.start,
      message:
        `${describe(now)} now reaches its tests through \`${oneLine(now.narrowedBy)}\`, which may leave rows out; ` +
        `run them over ${was.narrowedBy ? `\`${oneLine(was.narrowedBy)}\`` : 'the whole table'} as in ${where}`,
    },
  ];
}

function exited(was: DrivingTable, now: DrivingTable, where: string): Found[] {
  if (now.exits <= was.exits) return [];
  return [
    {
      line: now.driver.start,
      message:
        `the loop over ${describe(now)} gained a \`continue\` or \`break\` (${was.exits} in ${where}, ${now.exits} now), ` +
        `which may leave rows out; run every row as at line ${was.driver.start} of ${where}`,
    },
  ];
}

function rowFindings(changes: RowChange[], was: DrivingTable, now: DrivingTable, where: string): Found[] {
  const removed = changes.flatMap((change) => (change.kind === 'removed' ? [change.was] : []));
  const found: Found[] = [];
  if (removed.length > 0) {
    found.push({
      line: now.line,
      message:
        `${plural(removed.length, 'row')} of ${describe(was)} removed: ${listRows(removed)} of ${where}; ` +
        `put ${removed.length === 1 ? 'it' : 'them'} back`,
    });
  }
  const others = changes.flatMap((change) => (change.kind === 'removed' ? [] : [change]));
  for (const change of others.slice(0, shownAtMost)) {
    const row = rowName(change.was);
    if (change.kind === 'skipped') {
      found.push({
        line: change.now.line,
        message:
          `row ${row} of ${describe(was)} is now kept from failing (\`${change.now.text}\`); ` +
          `restore \`${change.was.text}\` (line ${change.was.line} of ${where})`,
      });
      continue;
    }
    const emptied = change.differences.some((difference) => emptyValues.has(difference.split(' -> ').at(-1) ?? ''));
    found.push({
      line: change.now.line,
      message:
        `row ${row} of ${describe(was)} now expects other values (${change.differences.slice(0, 3).join(', ')})` +
        `${emptied ? ', an empty value that checks nothing' : ''}; ` +
        `restore \`${change.was.text}\` (line ${change.was.line} of ${where})`,
    });
  }
  if (others.length > shownAtMost) {
    found.push({
      line: now.line,
      message: `${others.length - shownAtMost} more rows of ${describe(was)} changed; restore them from ${where}`,
    });
  }
  return found;
}

function describe(table: DrivingTable): string {
  return table.named && /^[\w$.]+$/.test(table.name) ? `table \`${table.name}\`` : table.name;
}

function rowName(row: TableRow): string {
  return row.name === undefined ? `\`${row.text}\`` : `"${oneLine(row.name, 60)}"`;
}

function listRows(rows: readonly TableRow[]): string {
  const shown = rows.slice(0, shownAtMost).map((row) => `\`${row.text}\` (line ${row.line})`);
  const more = rows.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}
