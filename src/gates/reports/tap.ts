import { textLines } from './failure-text.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';
import { failureFromDiagnostics, readDiagnostics } from './tap-diagnostics.ts';

const versionLine = /^TAP version \d+\s*$/i;
const planLine = /^(\s*)1\.\.(\d+)\b/;
const pointLine = /^(\s*)(not ok|ok)\b(?:\s+\d+)?(?:\s+-)?\s*(.*)$/;
const subtestLine = /^(\s*)# Subtest:\s?(.*)$/;
const yamlStartLine = /^(\s*)---\s*$/;
const bailOutLine = /^\s*Bail out!\s*(.*)$/;
const summaryComment = /^# (tests|pass|fail|skipped|skip|todo|cancelled)\s+(\d+)\s*$/;
const commentLine = /^\s*#\s?(.*)$/;

interface TestPoint {
  indent: number;
  ok: boolean;
  name: string;
  directive?: 'SKIP' | 'TODO';
}

interface OpenPoint {
  indent: number;
  failed: boolean;
}

function indentOf(whitespace: string | undefined): number {
  return (whitespace ?? '').replaceAll('\t', '    ').length;
}

function readPoint(match: RegExpExecArray): TestPoint {
  const rest = match[3] ?? '';
  // The directive follows the last unescaped " # ": "ok 4 - applies coupons # SKIP reason".
  const directiveMatch = /^(.*?)\s+(?<!\\)#\s+(SKIP|TODO)\b.*$/i.exec(rest);
  const description = directiveMatch ? (directiveMatch[1] ?? '') : rest;
  const directive = directiveMatch?.[2]?.toUpperCase();
  return {
    indent: indentOf(match[1]),
    ok: match[2] === 'ok',
    name: description.replaceAll('\\#', '#').trim(),
    ...(directive === 'SKIP' || directive === 'TODO' ? { directive } : {}),
  };
}

/** Reads TAP 13/14, node:test's flavour included: nested subtests, YAML diagnostics, summary comments. */
export function parseTap(text: string): ParsedReport {
  const lines = textLines(text);
  const failures: Failure[] = [];
  const problems: string[] = [];
  const computed: TestCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };
  const summary = new Map<string, number>();
  const announced: Array<{ indent: number; name: string }> = [];
  let openPoints: OpenPoint[] = [];
  let comments: string[] = [];
  let plan: number | undefined;
  let topLevelPoints = 0;
  let sawTap = false;
  let sawSubtest = false;
  // tape names its tests in "# name" comments and prints only assertion messages on its test points.
  let commentGroup: string | undefined;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const subtest = subtestLine.exec(line);
    if (subtest) {
      const indent = indentOf(subtest[1]);
      while ((announced.at(-1)?.indent ?? -1) >= indent) announced.pop();
      announced.push({ indent, name: (subtest[2] ?? '').trim() });
      sawSubtest = true;
      continue;
    }
    const pointMatch = pointLine.exec(line);
    if (!pointMatch) {
      const bailOut = bailOutLine.exec(line);
      const planMatch = planLine.exec(line);
      const summaryMatch = summaryComment.exec(line);
      const comment = commentLine.exec(line);
      if (bailOut) failures.push({ message: `Bail out! ${bailOut[1] ?? ''}`.trim() });
      else if (planMatch && indentOf(planMatch[1]) === 0) plan = Number(planMatch[2]);
      else if (summaryMatch?.[1]) summary.set(summaryMatch[1], Number(summaryMatch[2]));
      else if (comment) {
        comments.push(comment[1] ?? '');
        if (/^#/.test(line) && isGroupName(comment[1] ?? '')) commentGroup = comment[1]?.trim();
      }
      sawTap ||= Boolean(bailOut || planMatch || versionLine.test(line));
      continue;
    }
    sawTap = true;
    const point = readPoint(pointMatch);
    if (point.indent === 0) topLevelPoints++;
    const children = openPoints.filter((open) => open.indent > point.indent);
    openPoints = openPoints.filter((open) => open.indent <= point.indent);
    const isParent = children.length > 0;
    const failedThroughChildren = children.some((child) => child.failed);
    const ancestors = announced.filter((entry) => entry.indent < point.indent).map((entry) => entry.name);
    while ((announced.at(-1)?.indent ?? -1) >= point.indent) announced.pop();
    const isFailure = !point.ok && point.directive === undefined && !failedThroughChildren;
    openPoints.push({ indent: point.indent, failed: isFailure || failedThroughChildren });
    if (!isParent) {
      computed.total++;
      if (point.directive) computed.skipped++;
      else if (point.ok) computed.passed++;
      else computed.failed++;
    }
    // A YAML block directly after the point belongs to it; it is skipped for passing points. ava prints a test's
    // logs as comments between the two.
    let logLines = 0;
    while (logComment.test(lines[index + 1 + logLines] ?? '')) logLines++;
    const yamlStart = yamlStartLine.exec(lines[index + 1 + logLines] ?? '');
    if (yamlStart) index += logLines;
    let yamlLines: string[] = [];
    if (yamlStart && indentOf(yamlStart[1]) > point.indent) {
      const yamlIndent = indentOf(yamlStart[1]);
      const yamlEndLine = new RegExp(`^\\s{${yamlIndent}}\\.\\.\\.\\s*$`);
      let end = index + 2;
      while (end < lines.length && !yamlEndLine.test(lines[end] ?? '')) end++;
      yamlLines = lines.slice(index + 2, end).map((yamlLine) => yamlLine.slice(yamlIndent));
      index = end;
    }
    if (isFailure) {
      const group = !sawSubtest && ancestors.length === 0 ? commentGroup : undefined;
      const test = [group, ...ancestors, point.name].filter((part) => part !== undefined && part !== '').join(' > ');
      failures.push(failureFromDiagnostics(test, point.name, readDiagnostics(yamlLines.join('\n')), comments));
    }
    comments = [];
  }

  if (text.trim() === '') problems.push('report is empty');
  else if (!sawTap) problems.push('no TAP found: no "ok" / "not ok" lines');
  else if (plan === undefined) problems.push('TAP ended early: no plan line (1..N)');
  else if (topLevelPoints < plan) problems.push(`TAP ended early: plan says ${plan} tests, ${topLevelPoints} reported`);
  const counts = summary.has('tests') ? summaryCounts(summary) : computed;
  return { format: 'tap', failures, ...(counts.total > 0 ? { counts } : {}), problems };
}

// tape names its tests in "# name" comments; ava's hook titles and indented logs ("#   message") are no names.
const avaHookTitle = /(?:^|› )(?:before|after)(?:Each)?(?:\.always)? hook\b/;
const logComment = /^\s*#\s{2,}\S/;

function isGroupName(comment: string): boolean {
  return comment.trim() !== '' && !/^\s{2,}/.test(comment) && !avaHookTitle.test(comment);
}

function summaryCounts(summary: Map<string, number>): TestCounts {
  return {
    total: summary.get('tests') ?? 0,
    passed: summary.get('pass') ?? 0,
    failed: summary.get('fail') ?? 0,
    skipped: (summary.get('skipped') ?? summary.get('skip') ?? 0) + (summary.get('todo') ?? 0),
  };
}
