import jsonata from 'jsonata';
import type { InvariantConfig } from '../../config/invariant-schema.ts';
import type { Failure } from '../reports/report-types.ts';
import { type Explanation, evaluationLimits, explainAssertion } from './explain-assertion.ts';
import { type ExpressionNode, isExpressionNode } from './expression-source.ts';
import { describeValueType, formatValue } from './format-value.ts';
import { readInvariantJson } from './read-invariant-json.ts';

export interface InvariantInput {
  /** The gate's output (stdout and stderr). */
  logFile: string;
  /** The gate's working directory, for `from`. */
  cwd: string;
}

/** The failures of an invariant block, with what the gate's reason needs to name them. */
export interface InvariantCheck {
  failures: Failure[];
  problems: string[];
  /** The name (or the expression) of each assertion that did not hold or could not be evaluated. */
  broken: string[];
  /** Why no assertion could be checked at all (`no JSON in the output`). */
  unchecked?: string;
}

const maxValueLine = 150;

/** Evaluate each assertion; a broken one becomes a Failure showing the values that broke it. */
export async function checkInvariant(config: InvariantConfig, input: InvariantInput): Promise<InvariantCheck> {
  const json = await readInvariantJson(config.from, input);
  if (!json.ok) return { failures: [{ message: json.message }], problems: [], broken: [], unchecked: json.reason };
  const failures: Failure[] = [];
  const broken: string[] = [];
  for (const assertion of config.assert) {
    const { that, name } = typeof assertion === 'string' ? { that: assertion, name: undefined } : assertion;
    const message = await checkAssertion(that, json.value);
    if (message === undefined) continue;
    failures.push({ message: [name ? `${name}: ${that}` : that, ...message].join('\n') });
    broken.push(name ?? that);
  }
  return { failures, problems: [], broken };
}

/** The lines that say why an assertion does not hold, or undefined when it does. */
async function checkAssertion(that: string, document: unknown): Promise<string[] | undefined> {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(that, evaluationLimits);
  } catch (error) {
    return [`not a valid JSONata expression: ${describeJsonataError(error)}`];
  }
  const ast = expression.ast() as ExpressionNode;
  const bare = bareFunctionNames(ast);
  if (bare.length > 0) {
    const calls = bare.map((name) => `${name}(…)`).join(', ');
    return [`${calls} is not a function: JSONata functions start with $: ${bare.map((name) => `$${name}`).join(', ')}`];
  }
  let result: unknown;
  try {
    result = await expression.evaluate(document);
  } catch (error) {
    const explanation = await explainAssertion(ast, that, document);
    return [`cannot be evaluated: ${describeJsonataError(error)}`, ...explanationLines(explanation)];
  }
  if (result === true) return undefined;
  const explanation = await explainAssertion(ast, that, document);
  if (result === false) return explanationLines(explanation);
  // A comparison with a path that matches nothing gives no value: the missing path is the whole story.
  if (result === undefined && explanation.missing.length > 0) return explanationLines(explanation);
  const verdict =
    result === undefined
      ? 'gives no value, not true or false'
      : `gives ${formatValue(result)} (${describeValueType(result)}), not true or false: compare it, e.g. \`… <= 10\``;
  return [verdict, ...explanationLines(explanation)];
}

/** Missing paths first (they are usually the whole story), then the values, packed into short lines. */
function explanationLines(explanation: Explanation): string[] {
  const valueLines: string[] = [];
  for (const value of explanation.values) {
    const last = valueLines.at(-1);
    if (last !== undefined && last.length + 3 + value.length <= maxValueLine)
      valueLines[valueLines.length - 1] = `${last} · ${value}`;
    else valueLines.push(value);
  }
  return [...(explanation.missing.length > 0 ? [explanation.missing.join('; ')] : []), ...valueLines];
}

/** Names called like functions without `$` (`abs(x)`): JSONata reads them as paths. */
function bareFunctionNames(ast: ExpressionNode): string[] {
  const names = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (isExpressionNode(value) && value.type === 'function' && value.procedure?.type === 'path') {
      const step = value.procedure.steps?.at(-1);
      if (step?.type === 'name') names.add(String(step.value));
    }
    for (const item of Object.values(value)) visit(item);
  };
  visit(ast);
  return [...names];
}

function describeJsonataError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, position, token, code } = error as {
    message?: string;
    position?: number;
    token?: string;
    code?: string;
  };
  if ((code === 'T1005' || code === 'T1006') && token) return `$${token} is not a JSONata function`;
  const where = typeof position === 'number' ? ` (at character ${position}${token ? `, "${token}"` : ''})` : '';
  return `${message ?? String(error)}${where}`;
}
