import { readFileSync } from 'node:fs';

const fixturesDirectory = new URL('../../fixtures/reports/', import.meta.url);

/** The text of a report sample under test/fixtures/reports. */
export function readFixture(relativePath: string): string {
  return readFileSync(new URL(relativePath, fixturesDirectory), 'utf8');
}
