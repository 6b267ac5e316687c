import { clip, type ExpectedReceived } from './failure-text.ts';

/**
 * ava explains a failed assertion in labelled blocks, the same in its default reporter and under `details:` in its
 * TAP: "Difference (- actual, + expected):" with a diff, "Value is not `true`:" with the value, "Function threw
 * unexpected exception:" with the error and "Expected instance of:" with the class.
 */
export type AvaDetails = Array<{ label: string; value: string }>;

const differenceLabel = /^Difference \(- actual, \+ expected\):$/;
const valueIsNotLabel = /^Value is not `(.+)`:$/;
const thrownLabel =
  /^(?:Function threw(?: unexpected exception)?|Returned promise rejected with(?: unexpected exception)?|Error thrown in test|Rejected promise returned by test)\b.*:$/;
const expectedLabel =
  /^Expected (?:instance of|message to (?:equal|match)|name to equal|code to equal|to be|values to be [\w ]+):$/;
const diffLine = /^([+-]) (.*)$/;

/** `TypeError { message: 'bad' }` (ava's inspection of an error) reads better as `TypeError: bad`. */
function errorValue(value: string): string {
  const match = /^(\w+) \{\s*message: (['"`])(.*)\2,?\s*\}$/s.exec(value.trim());
  if (match?.[1]) return `${match[1]}: ${match[3]?.replaceAll("\\'", "'")}`;
  const klass = /^Function (\w+) \{\}$/.exec(value.trim());
  return klass?.[1] ?? value.trim();
}

function oneLine(value: string): string {
  return clip(
    value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ')
      .replace(/,$/, ''),
  );
}

// "- actual, + expected": the reverse of jest's and node's diffs; only changed lines carry values.
function diffValues(diff: string): ExpectedReceived {
  const received: string[] = [];
  const expected: string[] = [];
  for (const line of diff.split('\n')) {
    const match = diffLine.exec(line.trim());
    if (!match?.[2]) continue;
    (match[1] === '-' ? received : expected).push(match[2].replace(/[␊,]\s*$/, '').trim());
  }
  return {
    ...(expected.length > 0 ? { expected: oneLine(expected.join('\n')) } : {}),
    ...(received.length > 0 ? { received: oneLine(received.join('\n')) } : {}),
  };
}

/** The expected and received values ava's labelled blocks state. */
export function avaValues(details: AvaDetails): ExpectedReceived {
  const result: ExpectedReceived = {};
  let thrown: string | undefined;
  for (const { label, value } of details) {
    if (differenceLabel.test(label)) Object.assign(result, diffValues(value));
    const valueIsNot = valueIsNotLabel.exec(label);
    if (valueIsNot?.[1]) Object.assign(result, { expected: valueIsNot[1], received: oneLine(value) });
    if (thrownLabel.test(label)) thrown ??= oneLine(errorValue(value));
    if (expectedLabel.test(label)) result.expected = oneLine(errorValue(value));
  }
  // An error thrown where none was expected is the message itself, not a received value.
  if (thrown !== undefined && result.expected !== undefined) result.received ??= thrown;
  return result;
}

/** The error a test threw where no assertion expected one ("Error thrown in test:"), as `TypeError: message`. */
export function avaThrownError(details: AvaDetails): string | undefined {
  if (details.some(({ label }) => expectedLabel.test(label))) return undefined;
  const thrown = details.find(({ label }) => thrownLabel.test(label));
  return thrown === undefined ? undefined : oneLine(errorValue(thrown.value));
}

/** True for a line that opens one of ava's labelled blocks. */
export function isAvaLabel(line: string): boolean {
  const text = line.trim();
  return [differenceLabel, valueIsNotLabel, thrownLabel, expectedLabel].some((pattern) => pattern.test(text));
}
