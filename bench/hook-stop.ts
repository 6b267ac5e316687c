// Claude Code's Stop hook on an unchanged tree: the whole `sluice hook stop` process, every gate answered
// from the cache, against the same gates run directly by a plain `sh` script (the hook a user would
// otherwise write), with a bare Node start-up and a cached `sluice check` for scale.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type BenchReport,
  type CheckOutcome,
  type CommandResult,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  mustRun,
  nodeBin,
  runAlone,
  runCommand,
  runSluice,
  sluiceBin,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const rounds = 9;
const warmups = 1;
const targetRatio = 0.5;
const targetMs = 500;
const targetNodeRatio = 3;
const modules = ['cart', 'pricing', 'format', 'inventory', 'shipping'];
const testsPerModule = 12;
const gateNames = ['lint', 'typecheck', 'test'];

// Each gate first appends its name to $BENCH_GATE_LOG: the hook's runs and the script's runs log to
// different files, so the hook's count shows whether a cached stop ran any gate.
const gateCommands: Record<string, string> = {
  lint: 'echo lint >> "$BENCH_GATE_LOG" && node scripts/lint.mjs',
  typecheck: 'echo typecheck >> "$BENCH_GATE_LOG" && node scripts/typecheck.mjs',
  test: 'echo test >> "$BENCH_GATE_LOG" && node --test "test/**/*.test.js"',
};
const gateKinds: Record<string, string> = { lint: 'lint', typecheck: 'typecheck', test: 'test' };
const gateInputs: Record<string, string[]> = {
  lint: ['src/**/*.js', 'test/**/*.js', 'scripts/lint.mjs'],
  typecheck: ['src/**/*.js', 'scripts/typecheck.mjs'],
  test: ['src/**/*.js', 'test/**/*.js'],
};

// An explicit timeout: a benchmark must not depend on the default.
const sluiceYaml = `version: 1\ngates:\n${gateNames
  .map(
    (name) =>
      `  ${name}:\n    run: ${JSON.stringify(gateCommands[name])}\n    kind: ${gateKinds[name]}\n` +
      `    inputs: ${JSON.stringify(gateInputs[name])}\n    timeout: 1m\n`,
  )
  .join('')}`;
/** The baseline: the same gate commands, one after the other, as a hand-written Stop hook runs them. */
const directScript = `set -e\n${gateNames.map((name) => gateCommands[name]).join('\n')}\n`;

const lintScript = `// Text rules over the sources: no console.log, no trailing spaces, lines under 100 characters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
let problems = 0;
for (const dir of ['src', 'test']) {
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.js'))) {
    readFileSync(join(dir, name), 'utf8').split('\\n').forEach((line, index) => {
      const where = \`\${dir}/\${name}:\${index + 1}\`;
      if (/console\\.log/.test(line)) { console.error(\`\${where} console.log\`); problems++; }
      if (/\\s+$/.test(line)) { console.error(\`\${where} trailing whitespace\`); problems++; }
      if (line.length > 100) { console.error(\`\${where} line too long\`); problems++; }
    });
  }
}
process.exit(problems > 0 ? 1 : 0);
`;

const typecheckScript = `// Load every module: a syntax error, a missing export or a bad import fails here.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
for (const name of readdirSync('src').filter((file) => file.endsWith('.js'))) {
  const exported = await import(pathToFileURL(resolve('src', name)).href);
  for (const [key, value] of Object.entries(exported)) {
    if (typeof value !== 'function') throw new TypeError(\`src/\${name}: export \${key} is not a function\`);
  }
}
`;

function moduleSource(name: string): string {
  return `// ${name}: a small piece of the shop under test.
export function ${name}Total(values) {
  return values.reduce((sum, value) => sum + value, 0);
}

export function ${name}Label(value) {
  return \`${name}:\${value.toFixed(2)}\`;
}

export function ${name}Clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}
`;
}

function testSource(name: string): string {
  const lines = [
    "import assert from 'node:assert/strict';",
    "import { describe, it } from 'node:test';",
    `import { ${name}Clamp, ${name}Label, ${name}Total } from '../src/${name}.js';`,
    '',
    `describe('${name}', () => {`,
  ];
  for (let i = 1; i <= testsPerModule; i++) {
    lines.push(
      `  it('${name} case ${i}', () => {`,
      `    assert.strictEqual(${name}Total([${i}, ${i * 2}]), ${i * 3});`,
      `    assert.strictEqual(${name}Label(${i}), '${name}:${i}.00');`,
      `    assert.strictEqual(${name}Clamp(${i}, 2, 8), ${Math.min(8, Math.max(2, i))});`,
      '  });',
    );
  }
  lines.push('});', '');
  return lines.join('\n');
}

/** Write the project, commit it (the hook may diff against HEAD), and return nothing: it is all on disk. */
async function writeProject(project: string, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(join(project, 'src'), { recursive: true });
  await mkdir(join(project, 'test'), { recursive: true });
  await mkdir(join(project, 'scripts'), { recursive: true });
  const files: Array<[string, string]> = [
    ['package.json', `${JSON.stringify({ name: 'bench-hook-shop', private: true, type: 'module' }, null, 2)}\n`],
    ['.gitignore', '.sluice/\n'],
    ['sluice.yaml', sluiceYaml],
    ['scripts/lint.mjs', lintScript],
    ['scripts/typecheck.mjs', typecheckScript],
    ...modules.flatMap(
      (name): Array<[string, string]> => [
        [`src/${name}.js`, moduleSource(name)],
        [`test/${name}.test.js`, testSource(name)],
      ],
    ),
  ];
  for (const [path, text] of files) await writeFile(join(project, path), text);
  const git = (args: string[]) => mustRun('git', args, { cwd: project, env });
  await git(['init', '--quiet']);
  await git(['config', 'user.name', 'Sluice bench']);
  await git(['config', 'user.email', 'bench@localhost']);
  await git(['config', 'commit.gpgsign', 'false']);
  await git(['add', '-A']);
  await git(['commit', '--quiet', '-m', 'shop']);
}

/** Like support's runCommand, with `input` written to the child's stdin (the hook reads its JSON there). */
function runWithInput(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input: string; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolveRun, rejectRun) => {
    const started = performance.now();
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: 'pipe', detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // The hook may exit before it reads stdin (a usage error): an EPIPE then is its answer, not ours.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      rejectRun(error);
    });
    child.on('close', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolveRun({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        wallMs,
      });
    });
  });
}

async function countLines(path: string): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '').length;
}

export async function benchHookStop(): Promise<BenchReport> {
  return withTempDir('hook-stop', async (dir) => {
    const project = join(dir, 'shop');
    const hookLog = join(dir, 'hook-gate-runs.log');
    const directLog = join(dir, 'direct-gate-runs.log');
    const hookEnv = childEnv(dir, { BENCH_GATE_LOG: hookLog });
    const directEnv = childEnv(dir, { BENCH_GATE_LOG: directLog });
    await writeProject(project, hookEnv);
    await writeFile(join(dir, 'gates.sh'), directScript);
    const hookInput = JSON.stringify({
      session_id: 'bench',
      transcript_path: '/tmp/x',
      cwd: project,
      permission_mode: 'default',
      hook_event_name: 'Stop',
      stop_hook_active: false,
    });
    const hookStop = () =>
      runWithInput(nodeBin, [sluiceBin, 'hook', 'stop'], { cwd: project, env: hookEnv, input: hookInput });

    const direct = await runCommand('sh', [join(dir, 'gates.sh')], { cwd: project, env: directEnv });
    const checks: CheckOutcome[] = [
      {
        check: 'the gates pass when run directly (sh gates.sh)',
        ok: direct.exitCode === 0,
        detail: `exit ${direct.exitCode ?? direct.signal}${direct.exitCode === 0 ? '' : `: ${direct.stderr.slice(-300)}`}`,
      },
    ];
    const prime = await hookStop();
    const hookRuns = await countLines(hookLog);
    checks.push({
      check: 'the first stop runs every gate and is allowed (fills the cache)',
      ok: prime.exitCode === 0 && hookRuns === gateNames.length,
      detail: `exit ${prime.exitCode ?? prime.signal}, ${hookRuns} gate runs logged${prime.stderr ? `; stderr: ${prime.stderr.slice(-300)}` : ''}`,
    });
    // `sluice check` keeps a cache of its own in .sluice/cache: the hook answers only from passes it recorded
    // itself in the session (a pass the agent's own check recorded could have been got with a fake `node`).
    const primeCheck = await runSluice(['check'], { cwd: project, env: hookEnv });
    const primedRuns = await countLines(hookLog);
    checks.push({
      check: 'the first check runs every gate too and passes (fills its cache)',
      ok: primeCheck.exitCode === 0 && primedRuns === 2 * gateNames.length,
      detail: `exit ${primeCheck.exitCode ?? primeCheck.signal}, ${primedRuns - hookRuns} gate runs logged`,
    });

    const hookExits: Array<number | null> = [];
    const hookStderr: string[] = [];
    const expectExit = (label: string) => (result: CommandResult) => {
      if (result.exitCode !== 0) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    const [bare, gates, check, hook] = await timeInterleaved(
      [
        {
          label: 'bare Node start-up (node -e "")',
          run: () => runCommand(nodeBin, ['-e', ''], { cwd: project, env: directEnv }).then(expectExit('node')),
        },
        {
          label: 'gates run directly (sh gates.sh: lint, typecheck, node --test)',
          run: () =>
            runCommand('sh', [join(dir, 'gates.sh')], { cwd: project, env: directEnv }).then(expectExit('sh gates.sh')),
        },
        {
          label: 'sluice check, all gates cached',
          run: () => runSluice(['check'], { cwd: project, env: hookEnv }).then(expectExit('sluice check')),
        },
        {
          label: 'sluice hook stop, all gates cached',
          run: async () => {
            // Recorded, not thrown: a blocked stop is a failed check with its reason, and still a timing.
            const result = await hookStop();
            hookExits.push(result.exitCode);
            if (result.stderr.trim() !== '') hookStderr.push(result.stderr.trim());
            return result.wallMs;
          },
        },
      ],
      { rounds, warmups },
    );
    if (!bare || !gates || !check || !hook) throw new Error('missing timings');

    const hookRunsAfter = await countLines(hookLog);
    const directRuns = await countLines(directLog);
    const calls = rounds + warmups;
    checks.push(
      {
        check: `every cached stop exits 0 (allowed): ${calls} of ${calls}`,
        ok: hookExits.length === calls && hookExits.every((code) => code === 0),
        detail: `exits ${hookExits.join(', ')}${hookStderr.length > 0 ? `; stderr: ${hookStderr[0]?.slice(-300)}` : ''}`,
      },
      {
        check: 'no gate ran during the cached stops and checks (gate log unchanged)',
        ok: hookRunsAfter === primedRuns,
        detail: `${primedRuns} gate runs after the first stop and check, ${hookRunsAfter} after the timed rounds`,
      },
      {
        check: 'the direct script ran every gate every time',
        ok: directRuns === gateNames.length * (calls + 1),
        detail: `${directRuns} gate runs logged for ${calls + 1} scripts`,
      },
    );
    // The user's state folder (childEnv puts it in the benchmark's folder): one folder per project.
    const sessions = join(dir, '.state', 'sluice', 'hook-sessions');
    const [projectSessions = ''] = await readdir(sessions).catch(() => [] as string[]);
    const session = JSON.parse(
      await readFile(join(sessions, projectSessions, 'bench.json'), 'utf8').catch(() => '{}'),
    ) as { status?: string; total_blocks?: number };
    checks.push({
      check: 'the hook session is recorded `done` with no block',
      ok: session.status === 'done' && session.total_blocks === 0,
      detail: `status ${session.status ?? 'missing'}, total_blocks ${session.total_blocks ?? 'missing'}`,
    });

    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      formatRatio(timing.medianMs / gates.medianMs),
      formatRatio(timing.medianMs / bare.medianMs),
    ];
    const ratio = hook.medianMs / gates.medianMs;
    return {
      title: `Stop hook on an unchanged tree (${modules.length} modules, ${modules.length * testsPerModule} node:test tests, 3 gates)`,
      method:
        `a committed project with 3 gates (lint: a Node script; typecheck: a Node script importing every module; ` +
        '`node --test` over 5 files), each with `inputs` so it caches; one stop fills the cache, then ' +
        `${rounds} timed rounds after ${warmups} warm-up, the four variants interleaved. The hook gets Claude ` +
        "Code's Stop JSON on stdin. Wall time of the whole child process with performance.now(); median " +
        '(min–max); ratios of medians. Same Node binary for all.',
      table: {
        headers: ['Command', 'Wall time, median (min–max)', 'vs gates directly', 'vs bare Node'],
        rows: [bare, gates, check, hook].map(row),
      },
      targets: [
        {
          target: `cached hook <= ${formatRatio(targetRatio)} the gates run directly`,
          measured: formatRatio(ratio),
          met: ratio <= targetRatio,
        },
        {
          target: `cached hook process < ${formatMs(targetMs)} wall`,
          measured: `${formatMs(hook.medianMs)} median, ${formatMs(hook.maxMs)} worst`,
          met: hook.medianMs < targetMs,
        },
        {
          target: `cached hook <= ${formatRatio(targetNodeRatio)} a bare Node start-up (issue 16)`,
          measured: formatRatio(hook.medianMs / bare.medianMs),
          met: hook.medianMs / bare.medianMs <= targetNodeRatio,
        },
      ],
      checks,
      notes: [
        `The hook's own cost over a bare Node start-up: ${formatMs(hook.medianMs - bare.medianMs)}; over a cached ` +
          `\`sluice check\`: ${formatMs(hook.medianMs - check.medianMs)} (what \`hook stop\` does beyond the check: ` +
          'reading stdin, the session record, and any step it runs before the gates).',
        `Every stop on an unchanged tree saves ${formatMs(gates.medianMs - hook.medianMs)} against running the ` +
          'gates again.',
      ],
    };
  });
}

if (import.meta.main) await runAlone(benchHookStop);
