import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';
import { chooseLocation, extractExpectedReceived, type SourceLocation, summarizeMessage } from './failure-text.ts';
import { isVaguePytestMessage, pytestErrorText } from './pytest-errors.ts';
import type { Failure, ParsedReport, TestCounts } from './report-types.ts';
import { outlineXml } from './xml-elements.ts';

/** One element in fast-xml-parser's `preserveOrder` shape: `{ [tag]: children, ':@': attributes }`. */
type XmlNode = Record<string, unknown>;

// Suite names some runners give every report; they add nothing to a test's name.
const runnerSuiteNames = new Set(['', 'pytest', 'root', 'Root Suite']);
// node:test's junit reporter puts its failureType in `type` and wraps the real error in ERR_TEST_FAILURE.
const nodeFailureTypes = new Set([
  'testCodeFailure',
  'hookFailure',
  'testTimeoutFailure',
  'uncaughtException',
  'unhandledRejection',
  'cancelledByParent',
  'callbackAndPromisePresent',
  'parentAlreadyFinished',
]);

let xmlLibrary: typeof FastXmlParser | undefined;
let xmlParser: FastXmlParser.XMLParser | undefined;

// Loaded on first use from its one-file CommonJS build: ~5 ms then, instead of ~20 ms at every start-up.
function loadXmlLibrary(): typeof FastXmlParser {
  xmlLibrary ??= createRequire(import.meta.url)('fast-xml-parser') as typeof FastXmlParser;
  return xmlLibrary;
}

// preserveOrder keeps failures in the order the report lists them, suites and bare testcases mixed.
function parseXml(xml: string): XmlNode[] {
  xmlParser ??= new (loadXmlLibrary().XMLParser)({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    htmlEntities: true,
  });
  const parsed: unknown = xmlParser.parse(xml);
  return Array.isArray(parsed) ? parsed : [];
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const children = node[tag];
  return Array.isArray(children) ? children : [];
}

// node:test's junit reporter escapes attribute values twice (`&amp;quot;`); undo the second layer.
const doubledEntity = /&(quot|amp|lt|gt|apos|#39);/g;
const entityText: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", '#39': "'" };

function attribute(node: XmlNode, name: string): string | undefined {
  const value = rawAttribute(node, name);
  return value?.replace(doubledEntity, (_, entity: string) => entityText[entity] ?? entity);
}

function rawAttribute(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'];
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const value = (attributes as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function bodyText(node: XmlNode, tag: string): string {
  return childrenOf(node, tag)
    .map((child) => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('');
}

function testName(suitePath: string[], testcase: XmlNode): string | undefined {
  const name = attribute(testcase, 'name');
  const classname = attribute(testcase, 'classname');
  const parts = suitePath.filter((part) => !runnerSuiteNames.has(part));
  const classnameAddsSomething =
    classname !== undefined &&
    classname !== 'test' &&
    classname !== parts.at(-1) &&
    !(name ?? '').startsWith(classname) &&
    !parts.some((part) => part.endsWith(classname));
  if (classnameAddsSomething) parts.push(classname);
  if (name !== undefined) parts.push(name);
  return parts.length > 0 ? parts.join(' > ') : undefined;
}

// "Error [ERR_TEST_FAILURE]: msg ... { code: 'ERR_TEST_FAILURE', ..., cause: AssertionError ... }": the message
// is what comes before the inspected properties; the cause (with actual/expected and the stack) stays for the rest.
function nodeMessageText(body: string): string {
  const beforeProperties = body.split(/\n\s*code: '|\] \{/)[0] ?? body;
  return beforeProperties.replace(/^\s*\[?Error(?: \[ERR_TEST_FAILURE\])?: /, '');
}

// Java and vitest put "Type: message" first in the body and only "message" in the attribute; the type helps.
function withErrorType(messageAttribute: string, body: string): string {
  const attributeFirstLine = messageAttribute.trim().split('\n')[0]?.trim() ?? '';
  const bodyFirstLine = body.trim().split('\n')[0]?.trim() ?? '';
  const typed = attributeFirstLine !== '' && bodyFirstLine.length > attributeFirstLine.length;
  return typed && bodyFirstLine.endsWith(attributeFirstLine)
    ? messageAttribute.replace(attributeFirstLine, bodyFirstLine)
    : messageAttribute;
}

function reportedLocation(testcase: XmlNode, isPytest: boolean): SourceLocation | undefined {
  const file = attribute(testcase, 'file');
  if (file === undefined) return undefined;
  const lineNumber = Number(attribute(testcase, 'line'));
  if (!Number.isInteger(lineNumber)) return { file };
  // pytest's xunit1 `line` attribute counts from 0.
  return { file, line: isPytest ? lineNumber + 1 : lineNumber };
}

function failureOf(testcase: XmlNode, problem: XmlNode, test: string | undefined, isPytest: boolean): Failure {
  const messageAttribute = attribute(problem, 'message') ?? '';
  const body = bodyText(problem, tagOf(problem) ?? '');
  const isNode = nodeFailureTypes.has(attribute(problem, 'type') ?? '');
  // node:test squeezes the newlines out of `message`; its body has the whole error.
  const fullText = isNode ? body : `${messageAttribute}\n${body}`;
  const cause = isVaguePytestMessage(messageAttribute) ? pytestErrorText(body) : undefined;
  const messageText = isNode
    ? nodeMessageText(body)
    : (cause ?? (messageAttribute.trim() === '' ? body : withErrorType(messageAttribute, body)));
  const message = summarizeMessage(messageText) || attribute(problem, 'type') || 'test failed';
  const location = chooseLocation(reportedLocation(testcase, isPytest), body);
  return {
    ...(test !== undefined ? { test } : {}),
    message,
    ...extractExpectedReceived(fullText),
    ...(location ?? (isNode ? unloadedFile(testcase, message) : undefined)),
  };
}

// node:test reports a file that failed to load as one test named by the file's path, and only "test failed": the
// error itself went to the log. Naming the file lets the caller see the failure as vague and look there.
function unloadedFile(testcase: XmlNode, message: string): SourceLocation | undefined {
  const name = attribute(testcase, 'name') ?? '';
  return message === 'test failed' && /^\S+\.[cm]?[jt]sx?$/.test(name) ? { file: name } : undefined;
}

interface Collected {
  failures: Failure[];
  counts: TestCounts;
}

function visitTestcase(testcase: XmlNode, suitePath: string[], isPytest: boolean, collected: Collected): void {
  const outcomes = childrenOf(testcase, 'testcase');
  const problem = outcomes.find((child) => tagOf(child) === 'failure' || tagOf(child) === 'error');
  collected.counts.total++;
  if (problem) {
    collected.counts.failed++;
    collected.failures.push(failureOf(testcase, problem, testName(suitePath, testcase), isPytest));
  } else if (outcomes.some((child) => tagOf(child) === 'skipped')) collected.counts.skipped++;
  else collected.counts.passed++;
}

function visitNodes(nodes: XmlNode[], suitePath: string[], isPytest: boolean, collected: Collected): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'testcase') visitTestcase(node, suitePath, isPytest, collected);
    else if (tag === 'testsuites') visitNodes(childrenOf(node, tag), suitePath, isPytest, collected);
    else if (tag === 'testsuite') {
      visitNodes(childrenOf(node, tag), [...suitePath, attribute(node, 'name') ?? ''], isPytest, collected);
    }
  }
}

/** Reads JUnit XML (pytest, node:test, Java, vitest flavours): failures and errors with names, messages, places. */
export function parseJunit(text: string): ParsedReport {
  const problems: string[] = [];
  const failures: Failure[] = [];
  if (text.trim() === '') return { format: 'junit', failures, problems: ['report is empty'] };
  const start = text.search(/<\?xml|<testsuites?[\s>/]/);
  if (start < 0) return { format: 'junit', failures, problems: ['no JUnit XML found: no <testsuites> or <testsuite>'] };
  if (text.slice(0, start).trim() !== '') problems.push('ignored text before the XML');
  const xml = text.slice(start);
  const outline = outlineXml(xml, 'testcase');
  let readable = xml;
  if (outline.open.length > 0) {
    problems.push(`XML ended early: no closing </${outline.open[0]}>`);
    readable = outline.closedAtLastComplete ?? xml;
  } else {
    const validation = loadXmlLibrary().XMLValidator.validate(xml);
    if (validation !== true) {
      problems.push(`XML is not well-formed: line ${validation.err.line}: ${validation.err.msg}`);
    }
  }
  let document: XmlNode[];
  try {
    document = parseXml(readable);
  } catch (error) {
    problems.push(`could not read the XML: ${error instanceof Error ? error.message : String(error)}`);
    return { format: 'junit', failures, problems };
  }
  const isPytest = /<testsuite\b[^>]*\bname="pytest"/.test(xml);
  const collected: Collected = { failures, counts: { total: 0, passed: 0, failed: 0, skipped: 0 } };
  visitNodes(document, [], isPytest, collected);
  if (collected.counts.total === 0 && problems.length === 0) problems.push('no <testcase> elements found');
  return { format: 'junit', failures, ...(collected.counts.total > 0 ? { counts: collected.counts } : {}), problems };
}
