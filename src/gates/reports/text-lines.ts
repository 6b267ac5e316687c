import { createRequire } from 'node:module';

const maxLineLength = 300;
// Error texts can be huge (snapshot diffs, minified code); what we read is at their start.
const maxScannedLength = 20_000;
const maxScannedLineLength = 2_000;

// `node:util` loads a dozen internal modules: taken on the first text to strip, not by every command that
// imports this file (a cached check does, and never strips anything).
const loadBuiltin = createRequire(import.meta.url);
let util: typeof import('node:util') | undefined;

/** Removes ANSI colour and cursor codes. */
export function stripAnsi(text: string): string {
  util ??= loadBuiltin('node:util') as typeof import('node:util');
  return util.stripVTControlCharacters(text);
}

/** Shortens one value or line to a length an agent can read at a glance. */
export function clip(text: string, maxLength = maxLineLength): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

/** Splits text into lines, ANSI stripped, without the trailing carriage returns. */
export function textLines(text: string): string[] {
  return stripAnsi(text).split(/\r?\n/);
}

/** The start of a text, lines shortened, so that pattern searches stay fast on any input. */
export function scannedLines(text: string): string[] {
  return textLines(text.slice(0, maxScannedLength)).map((line) => line.slice(0, maxScannedLineLength));
}
