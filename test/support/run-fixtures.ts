import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
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
 * src/add.js, prints its usage as a SLUICE_USAGE line, and hands every prompt to the test.
 *
 * It writes nothing outside its worktree, like an agent under Sluice's default sandbox must: each prompt
 * goes to this test process over a unix socket (connecting to one is not a write), and the answer is the
 * number of the turn to play. So the run tests run sandboxed, as users' runs do.
 */
export function scriptedAgent(turns: ScriptedTurn[]): {
  command: string;
  prompts: () => string[];
  lastPid: () => number;
} {
  const dir = tempDir('sluice-agent-');
  const script = join(dir, 'agent.mjs');
  const socket = join(dir, 'prompts.sock');
  const prompts: string[] = [];
  let lastPid = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      prompts.push(body);
      // The agent's own pid is its pid in the sandbox's PID namespace: find it as the host sees it.
      lastPid = hostPidRunning(script) ?? lastPid;
      response.end(String(prompts.length));
    });
  });
  server.listen(socket);
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  writeFileSync(
    script,
    `import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
const prompt = readFileSync(0, 'utf8');
const count = await new Promise((resolve, reject) => {
  const sent = request({ socketPath: ${JSON.stringify(socket)}, path: '/prompt', method: 'POST' }, (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve(Number(body)));
  });
  sent.on('error', reject);
  sent.end(prompt);
});
const turns = ${JSON.stringify(turns)};
const turn = turns[Math.min(count, turns.length) - 1];
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
    prompts: () => [...prompts],
    lastPid: () => lastPid,
  };
}

/** The host pid of the live process running `node <script>` (the newest, if several). */
function hostPidRunning(script: string): number | undefined {
  let found: number | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[1] === script && Number(entry) > (found ?? 0)) found = Number(entry);
    } catch {
      // gone already
    }
  }
  return found;
}
