// Re-checking an unchanged tree: every gate of examples/shop answered from the cache, timed as the
// whole `node bin/sluice.js check` process, against a bare Node start-up and an uncached check.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  type BenchReport,
  type CheckOutcome,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  nodeBin,
  repoRoot,
  runAlone,
  runCommand,
  runSluice,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const rounds = 9;
const targetMs = 500;
const exampleDir = join(repoRoot, 'examples', 'shop');

interface CheckJson {
  verdict: string;
  gates: Array<{ name: string; status: string }>;
}

export async function benchCachedRecheck(): Promise<BenchReport> {
  return withTempDir('cached', async (dir) => {
    const shop = join(dir, 'shop');
    await cp(exampleDir, shop, {
      recursive: true,
      filter: (source) => !['.sluice', 'node_modules'].includes(basename(source)),
    });
    const patchedTestGlob = await patchDirectoryTestArgument(join(shop, 'sluice.yaml'));
    const env = childEnv(dir);
    const options = { cwd: shop, env };

    const fill = await runSluice(['check', '-C', shop], options);
    const checks: CheckOutcome[] = [
      { check: 'the first check passes and fills the cache', ok: fill.exitCode === 0, detail: `exit ${fill.exitCode}` },
    ];
    const cachedStatuses = async () => {
      const result = await runSluice(['check', '--json', '-C', shop], options);
      const parsed = JSON.parse(result.stdout) as CheckJson;
      const statuses = parsed.gates.map((gate) => `${gate.name}=${gate.status}`);
      return { ok: result.exitCode === 0 && parsed.gates.every((gate) => gate.status === 'cached'), statuses };
    };
    const before = await cachedStatuses();
    checks.push({
      check: 'the re-check reports every gate `cached` (--json)',
      ok: before.ok,
      detail: before.statuses.join(', '),
    });

    const expectExit = (label: string) => (result: Awaited<ReturnType<typeof runCommand>>) => {
      if (result.exitCode !== 0) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    const [bare, cached, uncached] = await timeInterleaved(
      [
        {
          label: 'bare Node start-up (node -e "")',
          run: () => runCommand(nodeBin, ['-e', ''], options).then(expectExit('node')),
        },
        {
          label: 'sluice check, all gates cached',
          run: () => runSluice(['check', '-C', shop], options).then(expectExit('sluice check')),
        },
        {
          label: 'sluice check --no-cache',
          run: () =>
            runSluice(['check', '--no-cache', '-C', shop], options).then(expectExit('sluice check --no-cache')),
        },
      ],
      { rounds, warmups: 1 },
    );
    if (!bare || !cached || !uncached) throw new Error('missing timings');
    const after = await cachedStatuses();
    checks.push({
      check: 'still every gate `cached` after the timed runs',
      ok: after.ok,
      detail: after.statuses.join(', '),
    });

    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      formatRatio(timing.medianMs / bare.medianMs),
      formatRatio(timing.medianMs / uncached.medianMs),
    ];
    return {
      title: 'Cached re-check of an unchanged tree (examples/shop, 3 gates)',
      method:
        `${rounds} timed rounds after 1 warm-up, the three variants interleaved; wall time of the whole child ` +
        'process with performance.now(); median (min–max); ratios of medians. Same Node binary for all; ' +
        "Node's compile cache warmed by the warm-up round, as after a user's first run.",
      table: {
        headers: ['Command', 'Wall time, median (min–max)', 'vs bare Node', 'vs --no-cache'],
        rows: [bare, cached, uncached].map(row),
      },
      targets: [
        {
          target: `whole cached check process < ${formatMs(targetMs)} wall`,
          measured: `${formatMs(cached.medianMs)} median, ${formatMs(cached.maxMs)} worst`,
          met: cached.medianMs < targetMs,
        },
      ],
      checks,
      notes: [
        ...(patchedTestGlob
          ? [
              'examples/shop/sluice.yaml runs `node --test ... test/`; Node 22 takes `test/` for a module path ' +
                '("Cannot find module .../test"), so the unit gate fails and is never cached. The benchmark\'s copy ' +
                "uses `'test/**/*.test.js'` instead.",
            ]
          : []),
        `Sluice's own cost over a bare Node start-up: ${formatMs(cached.medianMs - bare.medianMs)} ` +
          `(config load, hashing the inputs, reading the cache, writing .sluice/last-check.json).`,
        `The cache saves ${formatMs(uncached.medianMs - cached.medianMs)} per check on this small example.`,
      ],
    };
  });
}

/**
 * Node 22's `node --test` no longer accepts a directory (it is run as a module and fails), so a
 * trailing ` test/` argument in the copy becomes a glob. Returns whether the copy was changed.
 */
async function patchDirectoryTestArgument(configFile: string): Promise<boolean> {
  const text = await readFile(configFile, 'utf8');
  const patched = text.replace(/(--test\b[^\n]*(?:\n[^\n]*)*?) test\/(\s*\n)/, "$1 'test/**/*.test.js'$2");
  if (patched === text) return false;
  await writeFile(configFile, patched);
  return true;
}

if (import.meta.main) await runAlone(benchCachedRecheck);
