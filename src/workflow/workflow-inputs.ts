import { UsageError } from '../errors.ts';
import type { WorkflowDefinition } from './workflow-schema.ts';

/** `--input k=v` flags as a record; a flag without "=" is refused. */
export function parseInputFlags(flags: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new UsageError(`--input expects name=value, got "${flag}"`);
    const name = flag.slice(0, at);
    if (name === '__proto__') throw new UsageError('--input: "__proto__" is not an input name');
    inputs[name] = flag.slice(at + 1);
  }
  return inputs;
}

/** The inputs a workflow runs with: those given, then defaults; unknown and missing ones refused. */
export function resolveInputs(
  definition: WorkflowDefinition,
  given: Record<string, string>,
  workflowName: string,
): Record<string, string> {
  const declared = definition.inputs;
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(declared, name));
  if (unknown.length > 0) {
    const known = Object.keys(declared);
    throw new UsageError(
      `workflow ${workflowName} has no input ${unknown.join(', ')}${known.length > 0 ? `; inputs: ${known.join(', ')}` : ' (it declares none)'}`,
    );
  }
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(declared)) {
    const value = given[name] ?? input.default;
    if (value === undefined) {
      if (input.required) throw new UsageError(`workflow ${workflowName} needs input ${name}: --input ${name}=...`);
      inputs[name] = '';
    } else {
      inputs[name] = value;
    }
  }
  return inputs;
}
