import type { CheckResult, GateResult } from '../gate-results.ts';
import { isGatePass } from '../gate-results.ts';
import type { Failure } from '../reports/report-types.ts';
import { isSameFile } from '../reports/source-locations.ts';

export const defaultFeedbackBudget = 4000;
const maxLineLength = 160;
const maxMessageLines = 3;

export interface FeedbackOptions {
  /** Size limit in characters; the text never exceeds it. */
  budget?: number;
}

/**
 * The feedback an agent reads after a check: per failing gate its failures with message,
 * expected/received and file:line, or the lines of output that matter; within a size budget,
 * in a deterministic order, each gate pointing at its full log.
 */
export function compactFeedback(check: CheckResult, options: FeedbackOptions = {}): string {
  const budget = options.budget ?? defaultFeedbackBudget;
  const failing = sortGates(check.gates.filter((gate) => gate.status === 'failed' || gate.status === 'timed-out'));
  if (failing.length === 0) return clip(passSummary(check), budget);

  const blocks = failing.map((gate) => ({
    gate,
    header: gateHeader(gate),
    ...gateEntries(gate),
    used: 0,
  }));
  const head = checkHeadline(check, failing);
  const notRun = notRunLine(check);
  let size = head.length + 1 + (notRun ? notRun.length + 1 : 0);
  for (const block of blocks) size += block.header.length + 1;

  // Round-robin: every failing gate gets its first failure before any gets its second.
  for (let round = 0; ; round++) {
    let added = false;
    for (const block of blocks) {
      const entry = block.entries[round];
      if (entry === undefined || block.used < round) continue;
      const reserve = moreLine(block.entries.length - round - 1, block.gate).length + 1;
      if (size + entry.length + 1 + reserve > budget) continue;
      size += entry.length + 1;
      block.used = round + 1;
      added = true;
    }
    if (!added) break;
  }

  const lines = [head];
  for (const block of blocks) {
    lines.push(block.header, ...block.entries.slice(0, block.used));
    const hidden = block.weights.slice(block.used).reduce((sum, weight) => sum + weight, 0);
    if (hidden > 0) lines.push(moreLine(hidden, block.gate));
  }
  if (notRun) lines.push(notRun);
  return clip(lines.join('\n'), budget);
}

function checkHeadline(check: CheckResult, failing: GateResult[]): string {
  const passed = check.gates.filter((gate) => isGatePass(gate.status)).length;
  const names = failing.map((gate) => gate.name + (gate.blocking ? '' : ' (non-blocking)')).join(', ');
  const what = failing.length === 1 ? 'gate failed' : 'gates failed';
  // The advice fits failing tests and diagnostics; a missing command or a crash needs no sermon.
  const advice = failing.some((gate) => gate.blocking && gate.failures.length > 0)
    ? ' Fix the code, not the checks.'
    : '';
  return `${failing.length} ${what}: ${names}${passed > 0 ? `; ${passed} passed` : ''}.${advice}`;
}

function gateHeader(gate: GateResult): string {
  const log = gate.logPath ? `log: ${gate.logPath}` : '';
  if (gate.status === 'timed-out') return `\n## ${gate.name}: ${gate.reason ?? 'timed out'} (${log})`;
  const counts =
    gate.counts && gate.counts.failed > 0 ? `${gate.counts.failed} of ${gate.counts.total} tests failed` : '';
  const exit = gate.reason ?? (gate.exitCode !== undefined ? `exit ${gate.exitCode}` : 'failed');
  return `\n## ${gate.name}: ${[counts || exit, log].filter(Boolean).join('; ')}`;
}

/** The entries of a gate's block, and how many failures or lines each one stands for. */
function gateEntries(gate: GateResult): { entries: string[]; weights: number[] } {
  const tail = (gate.outputTail ?? []).map((line) => `  ${truncate(line)}`);
  if (gate.failures.length === 0) return { entries: tail, weights: tail.map(() => 1) };
  const failures = mergeRepeats(sortFailures(gate.failures).map(renderFailure));
  const entries = failures.map(({ text }) => text);
  const weights = failures.map(({ count }) => count);
  if (tail.length === 0) return { entries, weights };
  return {
    entries: [...entries, `  output ends with:\n${tail.map((line) => `  ${line}`).join('\n')}`],
    weights: [...weights, 1],
  };
}

/**
 * Failures that read the same once rendered (a lint rule broken three times on one line: the column is not
 * shown) become one entry that says how many there are, in the place of the first.
 */
function mergeRepeats(rendered: string[]): Array<{ text: string; count: number }> {
  const counts = new Map<string, number>();
  for (const text of rendered) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].map(([text, count]) => {
    if (count === 1) return { text, count };
    const [title = '', ...rest] = text.split('\n');
    return { text: [`${title} (${count} times)`, ...rest].join('\n'), count };
  });
}

/** One failure: where and what in the first line, then the evidence. */
export function renderFailure(failure: Failure): string {
  const location = failure.file ? `${failure.file}${failure.line ? `:${failure.line}` : ''}` : '';
  const messageLines = failure.message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .filter((line) => !/^(expected|received|actual)\s*:/i.test(line) || failure.expected === undefined)
    .filter((line) => !restatesValues(line, failure) && !isDiffOfValues(line, failure));
  let title: string;
  let details: string[];
  if (failure.test) {
    const test = withoutFileName(failure.test, failure.file);
    // The name gives way in its middle, so the file:line after it is never cut.
    title = location ? `${clipMiddle(test, maxLineLength - location.length - 5)} (${location})` : test;
    details = messageLines.slice(0, maxMessageLines);
  } else {
    const first = messageLines[0] ?? failure.message;
    title = !location || first.includes(location) ? first : `${location}: ${first}`;
    details = messageLines.slice(1, maxMessageLines);
  }
  const lines = [`- ${truncate(title)}`, ...details.map((line) => `  ${truncate(line)}`)];
  if (failure.origin) lines.push(`  raised at ${failure.origin}`);
  if (failure.expected !== undefined || failure.received !== undefined) {
    const expected = truncate(oneLine(failure.expected ?? '?'), 70);
    const received = truncate(oneLine(failure.received ?? '?'), 70);
    lines.push(`  expected: ${expected}  received: ${received}`);
  }
  return lines.join('\n');
}

/** "- Tea  $7.00" under a snapshot says again what the expected/received line shows. */
function isDiffOfValues(line: string, failure: Failure): boolean {
  if (failure.expected === undefined || failure.received === undefined) return false;
  const diff = /^([+-])\s+(.*\S)/.exec(line);
  if (!diff?.[2]) return false;
  return (diff[1] === '-' ? [failure.expected, failure.received] : [failure.received, failure.expected]).some((value) =>
    value.includes(diff[2] ?? ''),
  );
}

/** vitest and others start a test's name with its file ("test/a.test.js > sum > adds"); the location says it. */
function withoutFileName(test: string, file: string | undefined): string {
  const [first, ...rest] = test.split(' > ');
  if (file === undefined || first === undefined || rest.length === 0 || !/\.\w+$/.test(first)) return test;
  return isSameFile(first, file) ? rest.join(' > ') : test;
}

/** "a very long … test name": the start and the end of a name say most about it. */
function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(max - 1, 2);
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** "400 !== 450" says nothing the expected/received line does not. */
function restatesValues(line: string, failure: Failure): boolean {
  if (failure.expected === undefined || failure.received === undefined) return false;
  const match = /^(.+?)\s*(?:!==|!=|===|==)\s*(.+)$/.exec(line);
  return match !== null && match[1] === failure.received && match[2] === failure.expected;
}

function moreLine(hidden: number, gate: GateResult): string {
  const noun = gate.failures.length > 0 ? 'failure' : 'line';
  return `  … ${hidden} more ${noun}${hidden === 1 ? '' : 's'} in ${gate.logPath ?? 'the log'}`;
}

function notRunLine(check: CheckResult): string | undefined {
  const skipped = check.gates.filter((gate) => gate.status === 'skipped');
  if (skipped.length === 0) return undefined;
  return `\nNot run: ${skipped.map((gate) => gate.name).join(', ')}; ${skipped[0]?.reason ?? 'skipped'}.`;
}

function passSummary(check: CheckResult): string {
  const cached = check.gates.filter((gate) => gate.status === 'cached').length;
  const skipped = check.gates.filter((gate) => gate.status === 'skipped').length;
  const ran = check.gates.length - skipped;
  const parts = [ran === 1 ? '1 gate passed' : `All ${ran} gates passed`];
  if (cached > 0) parts.push(`${cached} from cache`);
  if (skipped > 0) parts.push(`${skipped} not run`);
  return `${parts.join('; ')}.`;
}

function sortGates(gates: GateResult[]): GateResult[] {
  return [...gates].sort(
    (a, b) => Number(b.blocking) - Number(a.blocking) || a.tier - b.tier || a.name.localeCompare(b.name),
  );
}

let naturalCollator: Intl.Collator | undefined;
// Made on first use: a collator loads ICU data (about 10 ms), which feedback on passing gates never needs.
function naturalOrder(a: string, b: string): number {
  naturalCollator ??= new Intl.Collator('en', { numeric: true });
  return naturalCollator.compare(a, b);
}

/**
 * By file and line (deterministic whatever order the runner finished in), then one failure of each kind
 * before the repeats, so twenty copies of one broken assertion do not hide a different problem.
 */
function sortFailures(failures: Failure[]): Failure[] {
  const sorted = [...failures].sort(
    (a, b) =>
      naturalOrder(a.file ?? '\uffff', b.file ?? '\uffff') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      naturalOrder(a.test ?? '', b.test ?? '') ||
      a.message.localeCompare(b.message),
  );
  const seen = new Set<string>();
  const firsts: Failure[] = [];
  const repeats: Failure[] = [];
  for (const failure of sorted) {
    const kind = failureKind(failure);
    (seen.has(kind) ? repeats : firsts).push(failure);
    seen.add(kind);
  }
  return [...firsts, ...repeats];
}

/** A failure's message with its values blanked: "expected 5 to be 4" and "expected 6 to be 4" are one kind. */
function failureKind(failure: Failure): string {
  return (failure.message.split('\n')[0] ?? '').replace(/(["'`]).*?\1/g, '"…"').replace(/\d+(\.\d+)?/g, '#');
}

function truncate(text: string, max = maxLineLength): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}

function clip(text: string, budget: number): string {
  return text.length <= budget ? text : `${text.slice(0, budget - 1)}…`;
}
