import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitdir } from './gitdir.ts';
import { tempDir } from './temp-dir.ts';

/** The adder's test as committed: one test, one assertion. */
export const adderTest =
  "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { add } from '../src/add.js';\n\ntest('adds two numbers', () => {\n  assert.equal(add(2, 3), 5);\n});\n";

/** A repository whose `add` is wrong, with a node:test suite and a sluice.yaml that judges it. */
export async function brokenAdderRepo(extraConfig = ''): Promise<string> {
  return gitdir({
    files: {
      'package.json': '{ "type": "module" }\n',
      'src/add.js': 'export function add(a, b) {\n  return a - b;\n}\n',
      'test/add.test.js': adderTest,
      'sluice.yaml': `gates:
  unit:
    run: node --test --test-reporter=junit --test-reporter-destination=.sluice/reports/unit.xml "test/*.test.js"
    kind: test
    report: { format: junit, path: .sluice/reports/unit.xml }
    inputs: ["src/**", "test/**"]
${extraConfig}`,
    },
  });
}

export const wrongAdd = 'export function add(a, b) {\n  return a * b;\n}\n';
export const rightAdd = 'export function add(a, b) {\n  return a + b;\n}\n';

export interface ScriptedTurn {
  /** New content of src/add.js, or what to do instead. */
  write: string | 'nothing' | 'exit 7' | 'hang';
  /** Other files to write (relative to the worktree), or to delete (null). */
  files?: Record<string, string | null>;
  usage?: { input: number; output: number; cost: number | null };
}

/**
 * A scripted agent: a Node program that reads its prompt on stdin, plays the next scripted turn on
 * src/add.js, prints its usage as a SLUICE_USAGE line, and keeps every prompt for the test to read.
 */
export function scriptedAgent(turns: ScriptedTurn[]): {
  command: string;
  prompts: () => string[];
  lastPid: () => number;
} {
  const dir = tempDir('sluice-agent-');
  const script = join(dir, 'agent.mjs');
  const log = join(dir, 'prompts.json');
  writeFileSync(log, '[]');
  writeFileSync(
    script,
    `import { readFileSync, rmSync, writeFileSync } from 'node:fs';
const prompts = JSON.parse(readFileSync(${JSON.stringify(log)}, 'utf8'));
prompts.push(readFileSync(0, 'utf8'));
writeFileSync(${JSON.stringify(log)}, JSON.stringify(prompts));
writeFileSync(${JSON.stringify(log)} + '.pid', String(process.pid));
const turns = ${JSON.stringify(turns)};
const turn = turns[Math.min(prompts.length, turns.length) - 1];
if (turn.usage) console.log('SLUICE_USAGE ' + JSON.stringify({ model: 'scripted-1', input_tokens: turn.usage.input, output_tokens: turn.usage.output, cost_usd: turn.usage.cost }));
if (turn.write === 'exit 7') process.exit(7);
if (turn.write === 'hang') setInterval(() => {}, 1000);
else if (turn.write !== 'nothing') writeFileSync('src/add.js', turn.write);
for (const [path, content] of Object.entries(turn.files ?? {})) {
  if (content === null) rmSync(path, { force: true });
  else writeFileSync(path, content);
}
`,
  );
  return {
    command: `'${process.execPath}' '${script}'`,
    prompts: () => JSON.parse(readFileSync(log, 'utf8')) as string[],
    lastPid: () => Number(readFileSync(`${log}.pid`, 'utf8')),
  };
}
