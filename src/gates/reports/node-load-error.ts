import { isSameFile, normalizePath, type SourceLocation } from './source-locations.ts';

// When a file that node:test runs fails to load, node prints the error before that file's "✖ test/x.test.js" line:
//   file:///repo/test/pricing.test.js:3
//   import { formatCents, nothere } from '../src/pricing.js';
//                         ^^^^^^^
//   SyntaxError: The requested module '../src/pricing.js' does not provide an export named 'nothere'
//       at ModuleJob._instantiate (node:internal/modules/esm/module_job:226:21)
//
//   Node.js v22.23.3
//   ✖ test/pricing.test.js (33.118381ms)

const thrownAtLine = /^((?:file:\/\/)?\/\S+|[A-Za-z]:\\\S+):(\d+)$/;
const caretLine = /^\s*\^+\s*$/;
/** The banner node prints after an uncaught error, just before the process exits. */
export const nodeExitBanner = /^Node\.js v\d+\.\d+\.\d+$/;

/** Where node says an uncaught error was thrown, and the index of the first line after its code frame. */
export interface ThrownAt {
  location: SourceLocation;
  end: number;
}

/** Reads node's "path:line", source line and caret line at `index`, if they are there. */
export function readThrownAt(lines: string[], index: number): ThrownAt | undefined {
  const match = thrownAtLine.exec(lines[index] ?? '');
  if (!match?.[1] || !match[2] || !caretLine.test(lines[index + 2] ?? '')) return undefined;
  return { location: { file: normalizePath(match[1]), line: Number(match[2]) }, end: index + 3 };
}

/** The place node pointed at, with the column of a stack frame when that frame is the same line. */
export function refineThrownAt(thrownAt: SourceLocation, frame: SourceLocation | undefined): SourceLocation {
  const sameLine = frame && isSameFile(frame.file, thrownAt.file) && frame.line === thrownAt.line;
  return sameLine ? { ...thrownAt, ...frame, file: thrownAt.file } : thrownAt;
}
