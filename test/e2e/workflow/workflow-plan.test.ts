import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RunStore, runStorePath } from '../../../src/store/run-store.ts';
import { claudeRun, conversation, toolResults } from '../../support/claude-run.ts';
import { type FakeUsage, type MessagesRequest, textReply, toolUseReply } from '../../support/fake-anthropic-server.ts';
import { fakeGithub } from '../../support/fake-github.ts';
import { git, gitdir } from '../../support/gitdir.ts';
import { waitFor } from '../../support/process-state.ts';
import { runSluice, repoRoot as sluiceRoot, startSluice } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

const phaseCode: Record<number, { name: string; op: string; check: string }> = {
  1: { name: 'sub', op: 'a - b', check: 'sub(5, 3), 2' },
  2: { name: 'mul', op: 'a * b', check: 'mul(4, 3), 12' },
  3: { name: 'div', op: 'a / b', check: 'div(8, 2), 4' },
};

const phase = (n: number, title: string) => `## Phase ${n}: ${title}
- [ ] phase ${n} task
Acceptance:
- ${phaseCode[n]?.check.replace(', ', ' is ')}
Proof:
- \`node --test test/${phaseCode[n]?.name}.test.js\`
`;
const goodPlan = `# Plan: more arithmetic\n\n${phase(1, 'Subtraction')}\n${phase(2, 'Multiplication [hard]')}\n${phase(3, 'Division')}`;
// Phase 2 has no proof: code must send this back to the writer, whatever the writer says of it.
const badPlan = goodPlan.replace(/(## Phase 2[\s\S]*?)Proof:\n- `[^`]+`\n/, '$1');

/**
 * A scripted agent for every role of the plan workflow, deciding by its prompt and $SLUICE_MODEL as a
 * model would: the planner writes a malformed plan first and a good one when told what is wrong; a
 * reviewer approves; a phase writes its function, its test, and ticks the plan. The cheap model
 * cannot do phase 3 (it writes nothing). It writes only in its own checkout and reports each turn's
 * model and prompt to the test over a unix socket.
 */
function planAgent() {
  const dir = tempDir('sluice-plan-agent-');
  const socket = join(dir, 'turns.sock');
  const turns: Array<{ model: string; prompt: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      turns.push(JSON.parse(body) as { model: string; prompt: string });
      response.end('ok');
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
  const script = join(dir, 'agent.mjs');
  writeFileSync(
    script,
    `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
const prompt = readFileSync(0, 'utf8');
const model = process.env.SLUICE_MODEL ?? '';
await new Promise((resolve, reject) => {
  const sent = request({ socketPath: ${JSON.stringify(socket)}, method: 'POST' }, (response) => {
    response.resume();
    response.on('end', resolve);
  });
  sent.on('error', reject);
  sent.end(JSON.stringify({ model, prompt }));
});
const usage = (cost) =>
  console.log('SLUICE_USAGE ' + JSON.stringify({ model: model || 'default-model', input_tokens: 1000, output_tokens: 100, cost_usd: cost }));
const code = ${JSON.stringify(phaseCode)};
const phase = /Carry out phase (\\d+) of the plan (plans\\/[a-z0-9-]+\\.md)/.exec(prompt);
if (prompt.startsWith('# Review')) {
  usage(0.002);
  console.log(JSON.stringify({ verdict: 'approve', findings: [] }));
} else if (prompt.includes('Write a plan, and only a plan')) {
  const path = /plans\\/[a-z0-9-]+\\.md/.exec(prompt)[0];
  mkdirSync('plans', { recursive: true });
  writeFileSync(path, prompt.includes('did not meet its condition') ? ${JSON.stringify(goodPlan)} : ${JSON.stringify(badPlan)});
  usage(0.1);
} else if (phase) {
  const n = Number(phase[1]);
  const { name, op, check } = code[n];
  if (n === 3 && model === 'cheap-model') {
    usage(0.01);
  } else {
    writeFileSync('src/' + name + '.js', 'export function ' + name + '(a, b) {\\n  return ' + op + ';\\n}\\n');
    writeFileSync('test/' + name + '.test.js', "import assert from 'node:assert/strict';\\nimport { test } from 'node:test';\\nimport { " + name + " } from '../src/" + name + ".js';\\n\\ntest('" + name + "', () => {\\n  assert.equal(" + check + ");\\n});\\n");
    // A hostile phase also weakens the plan's proofs: the approved ones must still judge later phases.
    const plan = readFileSync(phase[2], 'utf8').replace(/node --test test\\/[a-z]+\\.test\\.js/g, 'true');
    writeFileSync(phase[2], plan.replace('- [ ] phase ' + n + ' task', '- [x] phase ' + n + ' task\\nNotes: done with ' + model));
    usage(model === 'strong-model' ? 0.5 : 0.05);
  }
} else {
  console.log('unexpected prompt');
}
`,
  );
  return { command: `'${process.execPath}' '${script}'`, turns: () => [...turns] };
}

async function planRepo(agentCommand: string, extraConfig = '') {
  return gitdir({
    files: {
      'package.json': '{ "type": "module" }\n',
      'src/add.js': 'export function add(a, b) {\n  return a + b;\n}\n',
      'test/add.test.js':
        "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { add } from '../src/add.js';\n\ntest('add', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
      'sluice.yaml': `agent:
  name: command
  command: ${JSON.stringify(agentCommand)}
  prompt_via: stdin
stall: { no_diff: 2 }
gates:
  unit:
    run: node --test
${extraConfig}`,
      '.gitignore': '.sluice/\n',
    },
  });
}

describe('sluice plan', () => {
  it('plans, sends a malformed plan back, parks for approval, runs three phases with two models, then checks and reviews the whole change', async () => {
    const agent = planAgent();
    const repo = await planRepo(agent.command);
    const models = ['--cheap-model', 'cheap-model', '--strong-model', 'strong-model'];

    const first = await runSluice(['plan', 'More arithmetic: sub, mul, div', '--slug', 'arith', ...models], {
      cwd: repo,
    });
    expect(first.exitCode, first.stdout + first.stderr).toBe(75);
    // The built-in workflow is copied where the user can change it.
    expect(readFileSync(join(repo, '.sluice/workflows/plan.yaml'), 'utf8')).toBe(
      readFileSync(join(sluiceRoot, 'workflows/plan.yaml'), 'utf8'),
    );
    // The writer's first plan lacked a proof for phase 2: code sent it back, with what was wrong.
    const writerPrompts = agent.turns().filter((turn) => turn.prompt.includes('Write a plan'));
    expect(writerPrompts).toHaveLength(2);
    expect(writerPrompts[0]?.prompt).not.toContain('has no proof');
    expect(writerPrompts[1]?.prompt).toContain('phase 2 has no proof');
    expect(writerPrompts.every((turn) => turn.model === 'strong-model')).toBe(true);
    expect(first.stdout).toContain('step write-plan [agent] round 2: started');
    expect(agent.turns().filter((turn) => turn.prompt.startsWith('# Review'))).toHaveLength(1);
    // Parked at the approval, showing the plan; nothing implemented yet.
    expect(first.stdout).toContain('step approve-plan: waiting for approval');
    expect(first.stdout).toContain('## Phase 2: Multiplication [hard]');
    expect(agent.turns().some((turn) => turn.prompt.includes('Carry out phase'))).toBe(false);
    const id = /workflow plan (w-\S+)/.exec(first.stdout)?.[1] ?? '';
    // The plan writer's run ended done, but it is no change to review on its own: nothing is queued.
    expect((await runSluice(['review', 'list'], { cwd: repo })).stdout).not.toMatch(/\d{8}-\d{6}/);

    // A later process approves; it drives the workflow to its end.
    const approved = await runSluice(['approve', id, 'approve-plan'], { cwd: repo });
    expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);
    const phaseTurns = agent.turns().filter((turn) => turn.prompt.includes('Carry out phase'));
    const ran = phaseTurns.map((turn) => `${/Carry out phase (\d)/.exec(turn.prompt)?.[1]}:${turn.model}`);
    // The cheap model failed phase 3 (stalled twice without a change): the strong one redid it.
    expect(ran).toEqual(['1:cheap-model', '2:strong-model', '3:cheap-model', '3:cheap-model', '3:strong-model']);
    expect(phaseTurns.at(-1)?.prompt).toContain('A run of this item with model cheap-model ended blocked');
    expect(agent.turns().filter((turn) => turn.prompt.startsWith('# Review'))).toHaveLength(2);
    // The whole-change review saw every phase, not only the last run's diff.
    const wholeReview = agent.turns().filter((turn) => turn.prompt.startsWith('# Review'))[1]?.prompt ?? '';
    for (const name of ['sub', 'mul', 'div']) expect(wholeReview).toContain(`src/${name}.js`);
    expect(approved.stdout).toMatch(/step verify: succeeded/);
    expect(approved.stdout).toMatch(/workflow w-\S+: succeeded/);

    // From the store: each phase's run, on one line of commits, with its model.
    const store = await RunStore.open(runStorePath(repo));
    try {
      const steps = await store.workflows.listSteps(id);
      const implement = steps.find((step) => step.stepId === 'implement');
      const outputs = implement?.outputs ?? {};
      const runs = await Promise.all([1, 2, 3].map((n) => store.getRun(outputs[`item_${n}_run_id`] ?? '')));
      expect(runs.map((run) => run?.model)).toEqual(['cheap-model', 'strong-model', 'strong-model']);
      expect(runs.map((run) => run?.status)).toEqual(['done', 'done', 'done']);
      expect([1, 2, 3].map((n) => outputs[`item_${n}_cost_usd`])).toEqual(['0.0500', '0.5000', '0.5000']);
      // Each phase starts where the one before ended: the last branch holds every phase and the ticked plan.
      expect(runs[1]?.baseCommit).toBe((await git(repo, 'rev-parse', runs[0]?.branch ?? '')).trim());
      const plan = await git(repo, 'show', `${outputs.branch}:plans/arith.md`);
      expect(plan).toContain('- [x] phase 1 task\nNotes: done with cheap-model');
      expect(plan).toContain('- [x] phase 3 task\nNotes: done with strong-model');
      // The phases rewrote the plan's proofs to `true`; phase 3 was still judged by the approved one.
      expect(plan).not.toContain('test/div.test.js');
      for (const name of ['sub', 'mul', 'div']) {
        expect(await git(repo, 'show', `${outputs.branch}:src/${name}.js`)).toContain(`function ${name}`);
      }
      // The review queue got ONE item for the whole change: the last phase's run, after verify and the
      // whole-change review — not the plan's run, nor one per phase, nor the cheap run that failed.
      const items = await store.queue.listReviewItems();
      expect(items.map((item) => [item.runId, item.status])).toEqual([[outputs.run_id, 'waiting']]);
      expect(items[0]?.headCommit).toBe((await git(repo, 'rev-parse', outputs.branch ?? '')).trim());
      const reviewed = steps.find((step) => step.stepId === 'review-change');
      expect(reviewed?.finishedAt).toBeDefined();
      expect((items[0]?.createdAt ?? '') >= (reviewed?.finishedAt ?? '~')).toBe(true);
      expect(steps.find((step) => step.stepId === 'ship')?.outputs.state).toBe('queued');
      // The item is the whole change: measured from where the plan started, to land on main — not the last
      // phase alone on the branch of the phase before it.
      const last = await store.getRun(outputs.run_id ?? '');
      const planRun = await store.getRun(steps.find((step) => step.stepId === 'write-plan')?.outputs.run_id ?? '');
      expect([last?.baseRef, last?.baseCommit]).toEqual(['main', planRun?.baseCommit]);
    } finally {
      await store.close();
    }
    const show = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(show.stdout).toContain('item_2_model=strong-model');
    expect(show.stdout).toContain('item_1_cost_usd=0.0500');
    expect(show.stdout).toContain('review-change [review]: succeeded');
    // What the reviewers spent is recorded with their steps (the scripted agent reports $0.002 a turn).
    expect(show.stdout).toMatch(/review-change \[review\][\s\S]*reviewer_cost_usd=0\.0020/);
    expect(show.stdout).toContain('reviewer_tokens=1100');
    // Still one item after any later command (which queues runs left due): the phases stay out.
    const listed = await runSluice(['review', 'list'], { cwd: repo });
    const lastRun = /item_3_run_id=(\S+)/.exec(show.stdout)?.[1] ?? 'missing';
    expect(listed.stdout.match(/\d{8}-\d{6}-\w+/g) ?? []).toEqual([lastRun]);
    // Approving that one item lands all of it on main: the plan, ticked, and every phase.
    const landed = await runSluice(['review', 'approve', lastRun], { cwd: repo });
    expect(landed.exitCode, landed.stdout + landed.stderr).toBe(0);
    for (const name of ['sub', 'mul', 'div']) {
      expect(await git(repo, 'show', `main:src/${name}.js`)).toContain(`function ${name}`);
    }
    expect(await git(repo, 'show', 'main:plans/arith.md')).toContain('- [x] phase 3 task');
  }, 240_000);

  it('with review.pull_request, its last step opens one pull request of the whole change instead of queuing it', async () => {
    const agent = planAgent();
    const repo = await planRepo(agent.command, 'review: { pull_request: true }\n');
    const github = await fakeGithub(repo, { checks: [[{ name: 'ci', bucket: 'pass' }]] });
    const first = await runSluice(['plan', 'More arithmetic: sub, mul, div', '--slug', 'arith'], {
      cwd: repo,
      env: github.env,
    });
    expect(first.exitCode, first.stdout + first.stderr).toBe(75);
    const id = /workflow plan (w-\S+)/.exec(first.stdout)?.[1] ?? '';
    const approved = await runSluice(['approve', id, 'approve-plan'], { cwd: repo, env: github.env });
    expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);
    const state = github.state();
    expect(state.prs).toHaveLength(1);
    expect(state.prs[0]).toMatchObject({ base: 'main', title: 'More arithmetic: sub, mul, div' });
    const store = await RunStore.open(runStorePath(repo));
    try {
      const implement = await store.workflows.getStep(id, 'implement');
      expect(state.prs[0]?.head).toBe(implement?.outputs.branch);
      for (const name of ['sub', 'mul', 'div']) {
        expect(await git(state.remote, 'show', `refs/heads/${state.prs[0]?.head}:src/${name}.js`)).toContain(name);
      }
      expect((await store.workflows.getStep(id, 'ship'))?.outputs.state).toBe('mergeable');
      expect(await store.queue.listReviewItems()).toEqual([]);
    } finally {
      await store.close();
    }
  }, 240_000);

  it('ejects the built-in workflow without overwriting a changed copy, and refuses item outside a for_each step', async () => {
    const made = await gitdir({ files: { 'sluice.yaml': 'gates:\n  ok:\n    run: "true"\n' } });
    const eject = await runSluice(['plan', '--eject'], { cwd: made });
    expect(eject.exitCode, eject.stderr).toBe(0);
    const copy = join(made, '.sluice/workflows/plan.yaml');
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(sluiceRoot, 'workflows/plan.yaml'), 'utf8'));
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}# mine\n`);
    const again = await runSluice(['plan', '--eject'], { cwd: made });
    expect(again.stdout).toContain('is there already');
    const init = await runSluice(['init', '--workflows'], { cwd: made });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('Kept');
    expect(readFileSync(copy, 'utf8')).toContain('# mine');
    expect(readFileSync(join(made, 'sluice.yaml'), 'utf8')).toBe('gates:\n  ok:\n    run: "true"\n');

    // A fresh repository: init writes sluice.yaml and the plan workflow, which loads.
    const fresh = await gitdir({ files: { 'package.json': '{ "scripts": { "test": "node --test" } }\n' } });
    const initFresh = await runSluice(['init', '--workflows'], { cwd: fresh });
    expect(initFresh.exitCode, initFresh.stderr).toBe(0);
    expect(existsSync(join(fresh, 'sluice.yaml'))).toBe(true);
    expect(existsSync(join(fresh, '.sluice/workflows/plan.yaml'))).toBe(true);
    const noGoal = await runSluice(['workflow', 'run', 'plan'], { cwd: fresh });
    expect(noGoal.stderr).toContain('needs input goal');
    writeFileSync(
      join(made, '.sluice/workflows/stray.yaml'),
      'steps:\n  a:\n    run: echo "${{ item.title }}"\n  b:\n    if: item.title == \'x\'\n    for_each: { items: "[]" }\n    agent: { goal: go }\n',
    );
    // `plan check` judges a plan by code: proofs that cannot fail are refused, each with its line.
    const proofs = [
      'true',
      ':',
      'exit 0',
      'echo ok',
      'npm test || true',
      'npm test; exit 0',
      'npm test || echo failed',
    ];
    writeFileSync(
      join(made, 'weak.md'),
      proofs.map((proof, n) => `## Phase ${n + 1}: p${n + 1}\nAcceptance:\n- works\nProof:\n- \`${proof}\`\n`).join(''),
    );
    const weak = await runSluice(['plan', 'check', 'weak.md'], { cwd: made });
    expect(weak.exitCode).toBe(1);
    for (const [n, proof] of proofs.entries()) {
      expect(weak.stdout).toContain(`line ${5 * n + 5}: \`${proof}\` succeeds whatever the code does`);
    }
    writeFileSync(
      join(made, 'strong.md'),
      '## Phase 1: p [hard]\nAcceptance:\n- works\nProof:\n- `npm test && npm run lint`\n',
    );
    const strong = await runSluice(['plan', 'check', 'strong.md', '--strong-model', 'big'], { cwd: made });
    expect(strong.exitCode, strong.stdout).toBe(0);
    expect(strong.stdout).toContain('phase 1: p [hard] — big, proof: npm test && npm run lint');

    const stray = await runSluice(['workflow', 'run', 'stray'], { cwd: made });
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toContain('steps.a.run: reads item.<key>');
    expect(stray.stderr).toContain('steps.b.if: reads item.<key>');
    expect(existsSync(join(made, '.sluice/workflow-runs'))).toBe(false);
  });
});

/**
 * A scripted agent for a for_each step: it writes items/<name>.txt for "Write item <n> named <name>".
 * The first turn of item 2 waits for the test (its answer is held), so Sluice can be killed mid-item.
 */
function itemAgent() {
  const dir = tempDir('sluice-item-agent-');
  const socket = join(dir, 'turns.sock');
  const prompts: string[] = [];
  let held: (() => void) | undefined;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      prompts.push(body);
      if (body.includes('Write item 2') && prompts.filter((prompt) => prompt.includes('Write item 2')).length === 1) {
        held = () => response.end('ok');
      } else {
        response.end('ok');
      }
    });
  });
  server.listen(socket);
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        held?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const script = join(dir, 'agent.mjs');
  writeFileSync(
    script,
    `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
const prompt = readFileSync(0, 'utf8');
await new Promise((resolve, reject) => {
  const sent = request({ socketPath: ${JSON.stringify(socket)}, method: 'POST' }, (response) => {
    response.resume();
    response.on('end', resolve);
  });
  sent.on('error', reject);
  sent.end(prompt);
});
const [, number, name] = /Write item (\\d+) named (\\w+)/.exec(prompt);
mkdirSync('items', { recursive: true });
writeFileSync('items/' + name + '.txt', number + '\\n');
`,
  );
  return { command: `'${process.execPath}' '${script}'`, prompts: () => [...prompts] };
}

describe('for_each steps', () => {
  it('runs an agent step once per item, each from the branch before, and resumes the item Sluice was killed in without a second run', async () => {
    const agent = itemAgent();
    const repo = await gitdir({
      files: {
        'sluice.yaml': `agent:\n  name: command\n  command: ${JSON.stringify(agent.command)}\n  prompt_via: stdin\ngates:\n  ok:\n    run: "true"\n`,
        '.gitignore': '.sluice/\n',
        '.sluice/workflows/items.yaml': `steps:
  list:
    run: |
      echo 'items=[{"name":"one"},{"name":"two"},{"name":"three"}]' >> "$SLUICE_OUTPUTS"
  each:
    needs: [list]
    for_each: { items: "\${{ steps.list.outputs.items }}" }
    agent:
      goal: "Write item \${{ item.number }} named \${{ item.name }}"
      max_iterations: 2
`,
      },
    });
    const sluice = startSluice(['workflow', 'run', 'items'], repo);
    expect(
      await waitFor(() => agent.prompts().some((prompt) => prompt.includes('Write item 2')), 30_000),
      sluice.stdout(),
    ).toBe(true);
    const id = /workflow items (w-\S+)/.exec(sluice.stdout())?.[1] ?? '';
    sluice.child.kill('SIGKILL');
    await sluice.exited;
    const shown = await runSluice(['workflow', 'show', id, '--json'], { cwd: repo });
    const killed = (JSON.parse(shown.stdout) as { steps: Array<{ stepId: string; status: string; runId?: string }> })
      .steps;
    const killedIn = killed.find((step) => step.stepId === 'each');
    expect(killedIn?.status).toBe('running');
    expect(killedIn?.runId).toMatch(/./);

    const resumed = await runSluice(['workflow', 'resume', id], { cwd: repo });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    const store = await RunStore.open(runStorePath(repo));
    try {
      const outputs = (await store.workflows.getStep(id, 'each'))?.outputs ?? {};
      // The run Sluice was killed in is the one item 2 finished with: no second run was started for it.
      expect(outputs.item_2_run_id).toBe(killedIn?.runId);
      expect((await store.listRuns()).map((run) => run.id).sort()).toEqual(
        [outputs.item_1_run_id, outputs.item_2_run_id, outputs.item_3_run_id].sort(),
      );
      const second = await store.getRun(outputs.item_2_run_id ?? '');
      const first = await store.getRun(outputs.item_1_run_id ?? '');
      expect(second?.baseCommit).toBe((await git(repo, 'rev-parse', first?.branch ?? '')).trim());
      for (const name of ['one', 'two', 'three']) {
        expect(await git(repo, 'show', `${outputs.branch}:items/${name}.txt`)).toMatch(/^\d\n?$/);
      }
    } finally {
      await store.close();
    }
  }, 120_000);
});

/** The plan with the checkboxes of phases 1..n ticked. */
const tickedPlan = (n: number) =>
  [1, 2, 3].reduce(
    (plan, k) => (k <= n ? plan.replace(`- [ ] phase ${k} task`, `- [x] phase ${k} task`) : plan),
    goodPlan,
  );

/** The scripted model behind the real Claude Code, for every role of the plan workflow, by its prompt. */
function planModel(request: MessagesRequest, usage: FakeUsage | undefined) {
  const text = conversation(request);
  const step = toolResults(request);
  if (text.includes('You review a change another agent wrote')) {
    return textReply(JSON.stringify({ verdict: 'approve', findings: [] }), usage);
  }
  if (text.includes('Write a plan, and only a plan')) {
    const plan = text.includes('did not meet its condition') ? goodPlan : badPlan;
    return step === 0
      ? toolUseReply('Write', { file_path: 'plans/arith.md', content: plan }, usage)
      : textReply('I wrote the plan.', usage);
  }
  const n = Number(/Carry out phase (\d)/.exec(text)?.[1] ?? 0);
  const code = phaseCode[n];
  if (!code) return textReply('I do not know what to do.', usage);
  const test = `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { ${code.name} } from '../src/${code.name}.js';\n\ntest('${code.name}', () => {\n  assert.equal(${code.check});\n});\n`;
  switch (step) {
    case 0:
      return toolUseReply(
        'Write',
        {
          file_path: `src/${code.name}.js`,
          content: `export function ${code.name}(a, b) {\n  return ${code.op};\n}\n`,
        },
        usage,
      );
    case 1:
      return toolUseReply('Write', { file_path: `test/${code.name}.test.js`, content: test }, usage);
    case 2:
      return toolUseReply('Read', { file_path: 'plans/arith.md' }, usage);
    case 3:
      return toolUseReply('Write', { file_path: 'plans/arith.md', content: tickedPlan(n) }, usage);
    default:
      return textReply(`Phase ${n} is done.`, usage);
  }
}

describe('sluice plan with the real Claude Code against a scripted model', () => {
  it('runs each phase with the model the plan gives it, as the model API sees it', async () => {
    const { server, repo } = await claudeRun(
      [{ input_tokens: 900, output_tokens: 60, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }],
      planModel,
    );
    writeFileSync(join(repo, 'src/add.js'), 'export function add(a, b) {\n  return a + b;\n}\n');
    await git(repo, 'commit', '-qam', 'a working add');
    const models = ['--cheap-model', 'claude-haiku-4-5', '--strong-model', 'claude-sonnet-4-5'];
    const first = await runSluice(['plan', 'More arithmetic', '--slug', 'arith', ...models], { cwd: repo });
    expect(first.exitCode, first.stdout + first.stderr).toBe(75);
    const id = /workflow plan (w-\S+)/.exec(first.stdout)?.[1] ?? '';
    const approved = await runSluice(['approve', id, 'approve-plan'], { cwd: repo });
    expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);

    const modelsOf = (pattern: RegExp) =>
      [
        ...new Set(
          server
            .messageRequests()
            .filter((r) => pattern.test(conversation(r)))
            .map((r) => r.model),
        ),
      ].sort();
    expect(modelsOf(/Write a plan, and only a plan/)).toEqual(['claude-sonnet-4-5']);
    // The first plan had no proof for phase 2: code sent it back to the writer, saying so.
    expect(modelsOf(/phase 2 has no proof/)).toEqual(['claude-sonnet-4-5']);
    expect(modelsOf(/Carry out phase 1/)).toEqual(['claude-haiku-4-5']);
    expect(modelsOf(/Carry out phase 2/)).toEqual(['claude-sonnet-4-5']);
    expect(modelsOf(/Carry out phase 3/)).toEqual(['claude-haiku-4-5']);
    const show = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(show.stdout).toContain('item_1_model=claude-haiku-4-5');
    expect(show.stdout).toContain('item_2_model=claude-sonnet-4-5');
    expect(show.stdout).toMatch(/item_3_cost_usd=0\.\d+/);
    const branch = /^\s+branch=(\S+)/m.exec(show.stdout.split('implement [agent]')[1] ?? '')?.[1] ?? '';
    expect(await git(repo, 'show', `${branch}:plans/arith.md`)).toContain('- [x] phase 3 task');
  }, 300_000);
});
