import type { SourceLocation } from './source-locations.ts';

/** A failure the plain-text reader found, before the sightings of one test are merged. */
export interface Candidate {
  test?: string;
  message?: string;
  /** 2: read from an error line, 1: given after the test name, 0: only the header itself. */
  quality: number;
  location?: SourceLocation;
  expected?: string;
  received?: string;
  headerLine?: string;
}

function isSameTest(leftName: string, rightName: string): boolean {
  // pytest writes "Class.test" in headers and "file.py::Class::test" in its summary.
  const [left, right] = [leftName.replaceAll('::', '.'), rightName.replaceAll('::', '.')];
  const [longer, shorter] = left.length >= right.length ? [left, right] : [right, left];
  if (!longer.endsWith(shorter)) return false;
  const before = longer.slice(0, longer.length - shorter.length);
  return before === '' || /[\s:>/.]$/.test(before);
}

/** The same test often appears in a progress tree, a detail block and a summary; keeps one, with the best parts. */
export function mergeSameTests(candidates: Candidate[]): Candidate[] {
  const merged: Candidate[] = [];
  for (const candidate of candidates) {
    const test = candidate.test;
    const twin = test === undefined ? undefined : merged.find((kept) => kept.test && isSameTest(kept.test, test));
    if (!twin) {
      merged.push({ ...candidate });
      continue;
    }
    const [better, worse] = candidate.quality > twin.quality ? [candidate, twin] : [twin, candidate];
    Object.assign(
      twin,
      { ...worse, ...better },
      {
        test: (twin.test ?? '').length >= (test ?? '').length ? twin.test : test,
        location: better.location ?? worse.location,
        expected: better.expected ?? worse.expected,
        received: better.received ?? worse.received,
      },
    );
  }
  return merged;
}

/**
 * Runners print one error more than once (in the progress list, the details and a summary, or once per retry);
 * the agent needs it once. Errors are the same when they say the same thing at the same place for the same test.
 */
export function dropRepeats(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const place = candidate.location ? `${candidate.location.file}:${candidate.location.line ?? ''}` : '';
    const key = JSON.stringify([candidate.test ?? '', candidate.message ?? candidate.headerLine ?? '', place]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
