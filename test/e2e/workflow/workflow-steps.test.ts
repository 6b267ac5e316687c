import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../../support/gitdir.ts';
import { brokenAdderRepo, rightAdd, scriptedAgent, wrongAdd } from '../../support/run-fixtures.ts';
import { runSluice, repoRoot as sluiceRoot } from '../../support/sluice-cli.ts';
import { writeFiles } from '../../support/write-files.ts';

function workflowRepo(workflows: Record<string, string>) {
  return gitdir({
    files: {
      'sluice.yaml': 'gates:\n  counted:\n    run: test "$(wc -l < count.log)" -ge 2\n',
      '.gitignore': '.sluice/\n*.log\n',
      ...Object.fromEntries(Object.entries(workflows).map(([name, text]) => [`.sluice/workflows/${name}.yaml`, text])),
    },
  });
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

describe('workflow steps', () => {
  it('runs a nested workflow with inputs where an if holds, skips the branch where it does not, and passes outputs on', async () => {
    const repo = await workflowRepo({
      parent: `inputs:
  target: { required: true }
steps:
  probe:
    run: echo "mode=fast" >> "$SLUICE_OUTPUTS"; echo 'tricky=$(touch pwned)' >> "$SLUICE_OUTPUTS"
  fast:
    needs: [probe]
    if: steps.probe.outputs.mode == 'fast' && inputs.target != ''
    workflow: child
    with: { name: "\${{ inputs.target }}-\${{ steps.probe.outputs.mode }}" }
  slow:
    needs: [probe]
    if: "\${{ steps.probe.outputs.mode == 'slow' }}"
    run: touch slow.log
  after-slow:
    needs: [slow]
    run: touch after-slow.log
  report:
    needs: [fast, probe]
    run: echo "\${{ steps.fast.outputs.greeting }} \${{ steps.probe.outputs.tricky }}" > report.log
`,
      child: `inputs:
  name: { default: nobody }
steps:
  greet:
    run: echo "greeting=hello \${{ inputs.name }}" >> "$SLUICE_OUTPUTS"
outputs:
  greeting: "\${{ steps.greet.outputs.greeting }}"
`,
    });
    const missing = await runSluice(['workflow', 'run', 'parent'], { cwd: repo });
    expect(missing.exitCode, missing.stderr).toBe(2);
    expect(missing.stderr).toContain('needs input target: --input target=...');

    const run = await runSluice(['workflow', 'run', 'parent', '--input', 'target=prod'], { cwd: repo });
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/workflow child w-\S+/);
    expect(run.stdout).toContain("step slow: skipped — skipped: if ${{ steps.probe.outputs.mode == 'slow' }} is false");
    expect(run.stdout).toContain('step after-slow: skipped — skipped: it needs slow, which was skipped');
    expect(existsSync(join(repo, 'slow.log'))).toBe(false);
    // An output holding shell code arrives as text: expressions reach a command as variables.
    expect(read(join(repo, 'report.log'))).toBe('hello prod-fast $(touch pwned)\n');
    expect(existsSync(join(repo, 'pwned'))).toBe(false);

    const id = /workflow parent (w-\S+)/.exec(run.stdout)?.[1] ?? '';
    const show = await runSluice(['workflow', 'show', id], { cwd: repo });
    expect(show.stdout).toMatch(/fast \[workflow\]: succeeded \(workflow w-\S+\)/);
    expect(show.stdout).toContain('greeting=hello prod-fast');
  });

  it('repeats a step until a command succeeds, and fails it after max rounds', async () => {
    const repo = await workflowRepo({
      loop: `steps:
  count:
    run: echo x >> count.log
    until: { run: test "$(wc -l < count.log)" -ge 2 }
    max: 3
  gated:
    needs: [count]
    run: echo y >> gated.log
    until: { check: [counted] }
    max: 2
  forever:
    needs: [gated]
    run: echo z >> forever.log
    until: { run: "false" }
    max: 3
`,
    });
    const run = await runSluice(['workflow', 'run', 'loop'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(read(join(repo, 'count.log'))).toBe('x\nx\n');
    expect(run.stdout).toContain('step count [run] round 2: started');
    expect(run.stdout).toContain('step count: succeeded');
    // The gate passed at once (count.log had 2 lines): one round.
    expect(read(join(repo, 'gated.log'))).toBe('y\n');
    // Bounded: three rounds, then the step and the workflow fail, naming the condition.
    expect(read(join(repo, 'forever.log'))).toBe('z\nz\nz\n');
    expect(run.stdout).toContain('step forever: failed — until not met after 3 rounds (max 3): false exited with 1');
    expect(run.stdout).toMatch(/workflow w-\S+: failed — step forever failed: until not met after 3 rounds/);
  });

  it('refuses a malformed workflow file with its line, and a cycle in needs naming the cycle (exit 2)', async () => {
    const repo = await workflowRepo({
      typo: 'steps:\n  build:\n    run: make\n  test:\n    needs: [build]\n    rnu: make test\n',
      badyaml: 'steps:\n  build:\n    run: "make\n',
      cycle:
        'steps:\n  a:\n    needs: [c]\n    run: "true"\n  b:\n    needs: [a]\n    run: "true"\n  c:\n    needs: [b]\n    run: "true"\n',
      twokinds: 'steps:\n  a:\n    run: "true"\n    check: all\n',
      unknownref: 'steps:\n  a:\n    run: echo ${{ steps.b.outputs.x }}\n  b:\n    run: "true"\n',
      nests: 'steps:\n  again:\n    workflow: nests\n',
    });
    const typo = await runSluice(['workflow', 'run', 'typo'], { cwd: repo });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('invalid workflow');
    expect(typo.stderr).toContain(
      '.sluice/workflows/typo.yaml:6:5: steps.test: unknown key "rnu" (did you mean "run"?)',
    );

    const yaml = await runSluice(['workflow', 'run', 'badyaml'], { cwd: repo });
    expect(yaml.exitCode).toBe(2);
    expect(yaml.stderr).toMatch(/badyaml\.yaml:3:\d+: /);

    const cycle = await runSluice(['workflow', 'run', 'cycle'], { cwd: repo });
    expect(cycle.exitCode).toBe(2);
    expect(cycle.stderr).toContain('steps form a cycle through needs: a -> c -> b -> a');

    const kinds = await runSluice(['workflow', 'run', 'twokinds'], { cwd: repo });
    expect(kinds.exitCode).toBe(2);
    expect(kinds.stderr).toContain('twokinds.yaml:3:5: steps.a: a step is one kind; it has run and check');

    const ref = await runSluice(['workflow', 'run', 'unknownref'], { cwd: repo });
    expect(ref.exitCode).toBe(2);
    expect(ref.stderr).toContain('steps.a.run: reads step "b", which is not in its needs');

    const nests = await runSluice(['workflow', 'run', 'nests'], { cwd: repo });
    expect(nests.exitCode).toBe(2);
    expect(nests.stderr).toContain('workflow "nests" nests itself: nests -> nests');

    // Nothing was recorded for a workflow that could not start.
    expect((await runSluice(['workflow', 'list'], { cwd: repo })).stdout).not.toMatch(/w-\d/);
    const schema = await runSluice(['workflow', 'schema'], { cwd: repo });
    expect(JSON.parse(schema.stdout)).toMatchObject({ title: '.sluice/workflows/<name>.yaml', type: 'object' });
    // The committed schema (for editors) is the one the schema of the code emits.
    expect(JSON.parse(schema.stdout)).toEqual(
      JSON.parse(readFileSync(join(sluiceRoot, 'schema/workflow.schema.json'), 'utf8')),
    );
  });

  it('an agent step is done only on the machine verdict; a check step judges its branch in a clean checkout', async () => {
    const repo = await brokenAdderRepo();
    writeFiles(repo, {
      '.sluice/workflows/fix.yaml': `inputs:
  agent: { required: true }
steps:
  fix:
    agent:
      goal: Make add() add
      agent: command
      command: \${{ inputs.agent }}
      prompt_via: stdin
      max_iterations: 3
  judge:
    needs: [fix]
    check: { gates: [unit], commit: "\${{ steps.fix.outputs.branch }}" }
  note:
    needs: [fix, judge]
    run: echo "\${{ steps.fix.outputs.verdict }} \${{ steps.judge.outputs.verdict }}" > note.log
`,
      '.gitignore': '.sluice/\n*.log\n',
    });
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'workflow');
    const agent = scriptedAgent([{ write: wrongAdd }, { write: rightAdd }]);
    // The agent command is a path with quotes: not a plain word, so it is refused as an expression value.
    const refused = await runSluice(['workflow', 'run', 'fix', '--input', `agent=${agent.command}`], { cwd: repo });
    expect(refused.exitCode, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).toContain('is not a plain word');
    expect(agent.prompts()).toHaveLength(0);

    writeFiles(repo, { 'agent.sh': `#!/bin/sh\nexec ${agent.command}\n` });
    chmodSync(join(repo, 'agent.sh'), 0o755);
    await git(repo, 'add', 'agent.sh');
    await git(repo, 'commit', '-q', '-m', 'agent');
    const run = await runSluice(['workflow', 'run', 'fix', '--input', `agent=${repo}/agent.sh`], { cwd: repo });
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(agent.prompts()).toHaveLength(2);
    expect(run.stdout).toContain('step fix: succeeded');
    expect(run.stdout).toContain('step judge: succeeded');
    expect(read(join(repo, 'note.log'))).toBe('done passed\n');
    // The user's checkout is untouched; the run's branch holds the fix.
    expect(read(join(repo, 'src/add.js'))).toContain('a - b');
  });

  it('an agent that stops without green gates fails its step, whatever it says', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd, files: { 'DONE.md': 'All done, tests pass!\n' } }]);
    writeFiles(repo, {
      'agent.sh': `#!/bin/sh\nexec ${agent.command}\n`,
      '.sluice/workflows/fix.yaml': `steps:
  fix:
    agent: { goal: Make add() add, agent: command, command: ./agent.sh, prompt_via: stdin, max_iterations: 1 }
  ship:
    needs: [fix]
    run: touch shipped.log
`,
    });
    await git(repo, 'add', '-A');
    await git(repo, 'update-index', '--chmod=+x', 'agent.sh');
    await git(repo, 'commit', '-q', '-m', 'workflow');
    const run = await runSluice(['workflow', 'run', 'fix'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/step fix: failed — run \S+ ended budget-exhausted/);
    expect(existsSync(join(repo, 'shipped.log'))).toBe(false);
  });

  it('runs independent steps at once with concurrency, and one at a time without it', async () => {
    // Each branch waits for the other's flag: they can only both finish when they run together.
    const branch = (mine: string, theirs: string) =>
      `    run: touch ${mine}.flag; i=0; while [ ! -f ${theirs}.flag ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done; test -f ${theirs}.flag\n`;
    const steps = `steps:\n  left:\n${branch('left', 'right')}  right:\n${branch('right', 'left')}  join:\n    needs: [left, right]\n    run: touch joined.log\n`;
    const repo = await workflowRepo({ together: `concurrency: 2\n${steps}`, alone: steps });
    const together = await runSluice(['workflow', 'run', 'together'], { cwd: repo });
    expect(together.exitCode, together.stdout).toBe(0);
    expect(existsSync(join(repo, 'joined.log'))).toBe(true);
    for (const flag of ['left.flag', 'right.flag']) rmSync(join(repo, flag));
    const alone = await runSluice(['workflow', 'run', 'alone'], { cwd: repo });
    expect(alone.exitCode).toBe(1);
    expect(alone.stdout).toContain('step left: failed');
  });

  it('an approval inside a nested workflow parks the parent; approving it drives the parent to the end', async () => {
    const repo = await workflowRepo({
      outer:
        'steps:\n  inner:\n    workflow: inner\n  after:\n    needs: [inner]\n    run: echo "${{ steps.inner.outputs.said }}" > after.log\n',
      inner:
        'steps:\n  ask:\n    approve: { message: "inner ok?" }\noutputs:\n  said: "${{ steps.ask.outputs.decision }}"\n',
    });
    const parked = await runSluice(['workflow', 'run', 'outer'], { cwd: repo });
    expect(parked.exitCode).toBe(75);
    const outer = /workflow outer (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    const inner = /workflow inner (w-\S+)/.exec(parked.stdout)?.[1] ?? '';
    expect(parked.stdout).toContain(`sluice approve ${inner} ask`);
    const status = await runSluice(['status'], { cwd: repo });
    expect(status.stdout).toContain(`workflow ${outer}  waiting  outer`);
    const approved = await runSluice(['approve', inner, 'ask'], { cwd: repo });
    expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);
    expect(read(join(repo, 'after.log'))).toBe('approved\n');
    expect((await runSluice(['workflow', 'show', outer], { cwd: repo })).stdout).toContain(
      `workflow outer ${outer}: succeeded`,
    );
  });

  it('an agent step in an until loop gets a fresh run per round, judged on its branch, told why the last fell short', async () => {
    const repo = await brokenAdderRepo();
    const agent = scriptedAgent([{ write: wrongAdd }, { write: rightAdd }]);
    writeFiles(repo, {
      'agent.sh': `#!/bin/sh\nexec ${agent.command}\n`,
      '.gitignore': '.sluice/\n',
      '.sluice/workflows/fix.yaml': `steps:
  fix:
    agent: { goal: Make add() add, agent: command, command: ./agent.sh, prompt_via: stdin, max_iterations: 1 }
    until: { check: [unit] }
    max: 3
`,
    });
    await git(repo, 'add', '-A');
    await git(repo, 'update-index', '--chmod=+x', 'agent.sh');
    await git(repo, 'commit', '-q', '-m', 'workflow');
    const run = await runSluice(['workflow', 'run', 'fix'], { cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const prompts = agent.prompts();
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain('The previous round of this step did not meet its condition');
    expect(prompts[1]).toContain('adds two numbers');
    expect(run.stdout).toContain('step fix [agent] round 2: started');
    const runs = (await runSluice(['runs'], { cwd: repo })).stdout;
    expect(runs).toMatch(/budget-exhausted/);
    expect(runs).toMatch(/ done /);
  });
});
