// The cost in tokens of `sluice plan` (a plan, its review, a fresh agent run per phase, a whole-change
// review) against one long agent session doing the same three phases, both through the real Claude
// Code CLI against a scripted fake model that reports usage from each request's real size.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { costOf, pricesFor } from '../src/usage/pricing.ts';
import {
  type FakeReply,
  type FakeUsage,
  fakeCharsPerToken,
  type MessagesRequest,
  startFakeAnthropicServer,
  textReply,
  toolUseReply,
} from '../test/support/fake-anthropic-server.ts';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatCount,
  formatRatio,
  mustRun,
  runAlone,
  runSluice,
  withTempDir,
} from './support.ts';

const phases = [
  { name: 'sub', title: 'Subtraction', op: 'a - b', check: 'sub(5, 3), 2' },
  { name: 'mul', title: 'Multiplication', op: 'a * b', check: 'mul(4, 3), 12' },
  { name: 'div', title: 'Division', op: 'a / b', check: 'div(8, 2), 4' },
];
const strongModel = 'claude-sonnet-4-5';
const cheapModel = 'claude-haiku-4-5';
const goal = 'More arithmetic: add sub(a, b), mul(a, b) and div(a, b) to src/, each with a test in test/.';

const plan = `# Plan: more arithmetic\n\n${phases
  .map(
    (phase, index) => `## Phase ${index + 1}: ${phase.title}
- [ ] add ${phase.name}() with a test
Acceptance:
- ${phase.check.replace(', ', ' is ')}
Proof:
- \`node --test test/${phase.name}.test.js\`
`,
  )
  .join('\n')}`;

const source = (phase: (typeof phases)[number]) => `export function ${phase.name}(a, b) {\n  return ${phase.op};\n}\n`;
const test = (phase: (typeof phases)[number]) =>
  `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { ${phase.name} } from '../src/${phase.name}.js';\n\ntest('${phase.name}', () => {\n  assert.equal(${phase.check});\n});\n`;

function conversation(request: MessagesRequest): string {
  return JSON.stringify(request.messages);
}

/** Tool results so far in the turn: which step of its script the model is at. */
function toolResults(request: MessagesRequest): number {
  return conversation(request).split('"type":"tool_result"').length - 1;
}

/**
 * The scripted model, for every role, by what it is asked: the same edits in both modes. A reviewer
 * approves (through Claude Code's StructuredOutput tool when it offers one); the plan writer writes
 * the plan; a phase writes its function and test, then reads and ticks the plan; the long session
 * writes all six files in one turn.
 */
function scriptedModel(request: MessagesRequest): FakeReply {
  const text = conversation(request);
  const step = toolResults(request);
  if (text.includes('You review a change another agent wrote')) {
    const answer = { verdict: 'approve', findings: [] };
    return request.tools?.some((tool) => tool.name === 'StructuredOutput')
      ? toolUseReply('StructuredOutput', answer)
      : textReply(JSON.stringify(answer));
  }
  if (text.includes('Write a plan, and only a plan')) {
    return step === 0 ? toolUseReply('Write', { file_path: 'plans/arith.md', content: plan }) : textReply('Planned.');
  }
  const number = Number(/Carry out phase (\d)/.exec(text)?.[1] ?? 0);
  const phase = phases[number - 1];
  if (phase) {
    const ticked = plan.replace(`- [ ] add ${phase.name}()`, `- [x] add ${phase.name}()`);
    const script = [
      toolUseReply('Write', { file_path: `src/${phase.name}.js`, content: source(phase) }),
      toolUseReply('Write', { file_path: `test/${phase.name}.test.js`, content: test(phase) }),
      toolUseReply('Read', { file_path: 'plans/arith.md' }),
      toolUseReply('Write', { file_path: 'plans/arith.md', content: ticked }),
    ];
    return script[step] ?? textReply(`Phase ${number} is done.`);
  }
  if (text.includes('One session, three phases')) {
    const writes = phases.flatMap((each) => [
      toolUseReply('Write', { file_path: `src/${each.name}.js`, content: source(each) }),
      toolUseReply('Write', { file_path: `test/${each.name}.test.js`, content: test(each) }),
    ]);
    return writes[step] ?? textReply('sub, mul and div are done, each with its test.');
  }
  return textReply('I do not know what to do.');
}

interface ModeUsage {
  requests: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
}

function totals(log: Array<{ model: string; usage: FakeUsage }>): ModeUsage {
  const sum: ModeUsage = { requests: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 };
  for (const { model, usage } of log) {
    sum.requests += 1;
    sum.input += usage.input_tokens;
    sum.output += usage.output_tokens;
    sum.cacheRead += usage.cache_read_input_tokens;
    sum.cacheWrite += usage.cache_creation_input_tokens;
    const unpriced = {
      model,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens,
      cacheWriteTokens: usage.cache_creation_input_tokens,
      apiMs: 0,
      turns: 1,
    };
    const cost = costOf(unpriced, pricesFor(model));
    if (cost === null) throw new Error(`no price for ${model}`);
    sum.costUsd += cost;
  }
  return sum;
}

/** A repository with `add` and its test, whose sluice.yaml runs Claude Code against `url`. */
async function arithmeticRepo(dir: string, name: string, url: string): Promise<string> {
  const repo = join(dir, name);
  const home = join(dir, `${name}-home`);
  await mkdir(join(repo, 'src'), { recursive: true });
  await mkdir(join(repo, 'test'), { recursive: true });
  await mkdir(join(home, 'tmp'), { recursive: true });
  const agentEnv = {
    ANTHROPIC_API_KEY: 'x',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    HOME: home,
    CLAUDE_CODE_TMPDIR: join(home, 'tmp'),
    TMPDIR: join(home, 'tmp'),
  };
  await writeFile(join(repo, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(repo, 'src/add.js'), 'export function add(a, b) {\n  return a + b;\n}\n');
  await writeFile(
    join(repo, 'test/add.test.js'),
    "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { add } from '../src/add.js';\n\ntest('add', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
  );
  await writeFile(join(repo, '.gitignore'), '.sluice/\n');
  await writeFile(
    join(repo, 'sluice.yaml'),
    `agent:\n  name: claude-code\n  model: ${strongModel}\n  base_url: ${url}\n  env: ${JSON.stringify(agentEnv)}\ngates:\n  unit:\n    run: node --test\n`,
  );
  const env = childEnv(dir);
  await mustRun('git', ['init', '-q', '-b', 'main'], { cwd: repo, env });
  await mustRun('git', ['add', '-A'], { cwd: repo, env });
  await mustRun('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-qm', 'bench'], {
    cwd: repo,
    env,
  });
  return repo;
}

async function branchHas(repo: string, branch: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const phase of phases) {
    const shown = await mustRun('git', ['show', `${branch}:src/${phase.name}.js`], { cwd: repo, env }).catch(
      () => undefined,
    );
    if (!shown?.stdout.includes(`function ${phase.name}`)) return false;
  }
  return true;
}

export async function benchPlanTokens(): Promise<BenchReport> {
  return withTempDir('plan-tokens', async (dir) => {
    const env = childEnv(dir);
    const checks: CheckOutcome[] = [];

    // `sluice plan`: the strong model plans, the cheap one runs the phases, reviewers use the default.
    const planServer = await startFakeAnthropicServer([], { fallback: scriptedModel, usageFromRequest: true });
    let planMode: ModeUsage;
    try {
      const repo = await arithmeticRepo(dir, 'plan', planServer.url);
      const models = ['--cheap-model', cheapModel, '--strong-model', strongModel];
      const parked = await runSluice(['plan', goal, '--slug', 'arith', ...models], { cwd: repo, env });
      const id = /workflow plan (w-\S+)/.exec(parked.stdout)?.[1];
      checks.push({ check: 'sluice plan parks at the plan approval (exit 75)', ok: parked.exitCode === 75 && !!id });
      const approved = await runSluice(['approve', id ?? 'missing', 'approve-plan'], { cwd: repo, env });
      checks.push({
        check: 'the approved plan runs its three phases, verify and review to the end (exit 0)',
        ok: approved.exitCode === 0,
        detail: approved.exitCode === 0 ? undefined : `${approved.stdout.slice(-800)}${approved.stderr.slice(-400)}`,
      });
      const shown = await runSluice(['workflow', 'show', id ?? 'missing', '--json'], { cwd: repo, env });
      const steps = (
        JSON.parse(shown.stdout || '{"steps":[]}') as {
          steps: Array<{ stepId: string; outputs: Record<string, string> }>;
        }
      ).steps;
      const branch = steps.find((step) => step.stepId === 'implement')?.outputs.branch ?? 'missing';
      checks.push({ check: "the plan's last branch holds sub, mul and div", ok: await branchHas(repo, branch, env) });
      planMode = totals(planServer.usageLog());
    } finally {
      await planServer.close();
    }

    // One long session: the same edits in one `sluice run`, one Claude Code turn, one growing context.
    const sessionServer = await startFakeAnthropicServer([], { fallback: scriptedModel, usageFromRequest: true });
    let sessionMode: ModeUsage;
    try {
      const repo = await arithmeticRepo(dir, 'session', sessionServer.url);
      const task = `One session, three phases. ${goal} Phase 1: sub. Phase 2: mul. Phase 3: div.`;
      const run = await runSluice(['run', task, '--max-iterations', '2'], { cwd: repo, env });
      const runId = /run (\S+) on branch/.exec(run.stdout)?.[1] ?? 'missing';
      checks.push({
        check: 'the long session ends done (exit 0)',
        ok: run.exitCode === 0,
        detail: run.exitCode === 0 ? undefined : run.stdout.slice(-600),
      });
      checks.push({
        check: "the session's branch holds sub, mul and div",
        ok: await branchHas(repo, `sluice/${runId}`, env),
      });
      sessionMode = totals(sessionServer.usageLog());
    } finally {
      await sessionServer.close();
    }

    const inputSide = (mode: ModeUsage) => mode.input + mode.cacheRead + mode.cacheWrite;
    const row = (label: string, mode: ModeUsage) => [
      label,
      String(mode.requests),
      formatCount(mode.input),
      formatCount(mode.cacheRead),
      formatCount(mode.cacheWrite),
      formatCount(mode.output),
      formatCount(inputSide(mode) + mode.output),
      `$${mode.costUsd.toFixed(4)}`,
    ];
    const ratio = (pick: (mode: ModeUsage) => number) =>
      pick(sessionMode) === 0 ? 'n/a' : formatRatio(pick(planMode) / pick(sessionMode));
    return {
      title: 'sluice plan against one long session: tokens',
      method:
        `The same scripted task (three phases: sub, mul, div, each a function and its test), through the real Claude Code CLI against a fake Anthropic server. ` +
        `\`sluice plan\`: a plan written by ${strongModel}, reviewed, approved, each phase a fresh run of ${cheapModel} (write src, write test, read and tick the plan), every gate, a whole-change review. ` +
        `One session: \`sluice run\` with ${strongModel}, one turn writing the six files. ` +
        `The fake reports usage from each request's real size (characters / ${fakeCharsPerToken}): the prompt (tools, system prompt, messages) split as prompt caching would — the prefix shared with any earlier request a cache read, the rest a cache write — and the reply as output. ` +
        "Costs are priced by Sluice's price table per request model. Figures are what the model API saw, every request counted (plan writer, reviewers, phases).",
      table: {
        headers: ['mode', 'requests', 'input', 'cache read', 'cache write', 'output', 'total tokens', 'cost'],
        rows: [
          row('sluice plan (3 phases)', planMode),
          row('one long session', sessionMode),
          [
            'ratio plan / session',
            ratio((mode) => mode.requests),
            '',
            ratio((mode) => mode.cacheRead),
            ratio((mode) => mode.cacheWrite),
            ratio((mode) => mode.output),
            ratio((mode) => inputSide(mode) + mode.output),
            ratio((mode) => mode.costUsd),
          ],
        ],
      },
      targets: [],
      checks,
      notes: [
        `Prompt per request, on average: ${formatCount(Math.round(inputSide(planMode) / planMode.requests))} tokens for the plan, ${formatCount(Math.round(inputSide(sessionMode) / sessionMode.requests))} for the session. Every fresh Claude Code process (a plan writer, a reviewer, a phase) sends its system prompt and tool list again; only the prefix shared with an earlier request is a cache read, the rest is written to the cache again (${formatCount(planMode.cacheWrite)} tokens written for the plan, ${formatCount(sessionMode.cacheWrite)} for the session).`,
        planMode.costUsd > sessionMode.costUsd
          ? "On this small task the plan costs more than one session: its fixed cost (a plan, two reviews, a fresh context per phase) outweighs the long session re-reading its growing history from the cache. What it buys is not tokens: a reviewed, approved plan, a cheaper model per phase and a machine-judged stop per phase. The phases here are tiny (five requests each); with longer phases the session's history grows where a fresh phase's does not — not measured here."
          : 'On this task the plan costs less than one session: the long session re-reads its growing history on every request, while each phase starts small.',
        "No tokenizer is installed: tokens are characters / 4, the same estimate for both modes. Cache reads and writes follow the longest shared prefix, without the API's minimum cacheable length or expiry.",
      ],
    };
  });
}

if (import.meta.main) await runAlone(benchPlanTokens);
