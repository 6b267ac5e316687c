// 500 independent gates that each run `true`: lefthook (parallel) against `sluice check --no-cache`
// with its default settings, so what is measured is Sluice's cost per gate (spawn, log file, result,
// reporter), not the gates' work.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BenchReport,
  childEnv,
  formatMs,
  formatRatio,
  formatTiming,
  mustRun,
  repoRoot,
  runAlone,
  runCommand,
  runSluice,
  type Timing,
  timeInterleaved,
  withTempDir,
} from './support.ts';

const gateCount = 500;
const rounds = 5;
const targetRatio = 1.5;
const lefthookBin = join(repoRoot, 'node_modules', '.bin', 'lefthook');
const gateNames = Array.from({ length: gateCount }, (_, index) => `gate-${String(index + 1).padStart(3, '0')}`);

const sluiceYaml = `gates:\n${gateNames.map((name) => `  ${name}:\n    run: "true"\n    timeout: 30s\n`).join('')}`;
const lefthookYaml = `bench:\n  parallel: true\n  commands:\n${gateNames
  .map((name) => `    ${name}:\n      run: "true"\n`)
  .join('')}`;

export async function benchManyGates(): Promise<BenchReport> {
  return withTempDir('many-gates', async (dir) => {
    const env = childEnv(dir);
    await writeFile(join(dir, 'sluice.yaml'), sluiceYaml);
    await writeFile(join(dir, 'lefthook.yml'), lefthookYaml);
    await mustRun('git', ['init', '--quiet'], { cwd: dir, env }); // lefthook only runs inside a git repo

    const checkExit = (label: string) => (result: Awaited<ReturnType<typeof runCommand>>) => {
      if (result.exitCode !== 0) {
        throw new Error(`${label} exited ${result.exitCode ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
      }
      return result.wallMs;
    };
    const [lefthook, sluice, processGroup] = await timeInterleaved(
      [
        {
          label: `lefthook run (parallel: true, ${gateCount} commands)`,
          run: () =>
            runCommand(lefthookBin, ['run', 'bench', '--no-tty', '--no-auto-install'], { cwd: dir, env }).then(
              checkExit('lefthook'),
            ),
        },
        {
          label: `sluice check --no-cache (${gateCount} gates, default settings)`,
          run: () => runSluice(['check', '--no-cache', '-C', dir], { cwd: dir, env }).then(checkExit('sluice')),
        },
        {
          // Where a PID namespace per gate is available, it is most of the cost per gate: this row shows how much.
          label: `sluice check --no-cache, SLUICE_CONTAINMENT=process-group`,
          run: () =>
            runSluice(['check', '--no-cache', '-C', dir], {
              cwd: dir,
              env: { ...env, SLUICE_CONTAINMENT: 'process-group' },
            }).then(checkExit('sluice (process groups)')),
        },
      ],
      { rounds, warmups: 1 },
    );
    if (!lefthook || !sluice || !processGroup) throw new Error('missing timings');

    // The gates really ran (not cached, not skipped), each with its log.
    const json = await runSluice(['check', '--no-cache', '--json', '-C', dir], { cwd: dir, env });
    const gates = (JSON.parse(json.stdout) as { gates: Array<{ name: string; status: string; log: string | null }> })
      .gates;
    const passed = gates.filter((gate) => gate.status === 'passed').length;
    const logs = new Set(await readdir(join(dir, '.sluice', 'logs')));
    const withLog = gates.filter((gate) => gate.log && logs.has(gate.log.split('/').pop() ?? '')).length;

    const ratio = sluice.medianMs / lefthook.medianMs;
    if (ratio > targetRatio) console.error(`missed: sluice ${formatRatio(ratio)} of lefthook on ${gateCount} gates`);
    const row = (timing: Timing) => [
      timing.label,
      formatTiming(timing),
      formatRatio(timing.medianMs / lefthook.medianMs),
    ];
    return {
      title: `Many gates: ${gateCount} independent gates that run \`true\``,
      method:
        `${rounds} timed rounds after 1 warm-up, the variants interleaved in each round; wall time of the ` +
        'whole child process (spawn to exit) with performance.now(); median (min–max); ratio of medians.',
      table: {
        headers: ['Runner', 'Wall time, median (min–max)', 'vs lefthook'],
        rows: [lefthook, sluice, processGroup].map(row),
      },
      targets: [
        {
          target: `sluice <= ${targetRatio.toFixed(2)}x lefthook on ${gateCount} trivial gates (issue 16)`,
          measured: `${formatRatio(ratio)} (+${formatMs(sluice.medianMs - lefthook.medianMs)}, ${(
            (sluice.medianMs - lefthook.medianMs) / gateCount
          ).toFixed(2)} ms per gate over lefthook)`,
          met: ratio <= targetRatio,
        },
      ],
      checks: [
        {
          check: `every one of the ${gateCount} gates ran and passed`,
          ok: gates.length === gateCount && passed === gateCount,
          detail: `${passed} of ${gates.length} passed`,
        },
        {
          check: 'every gate has its log file in .sluice/logs',
          ok: withLog === gateCount,
          detail: `${withLog} of ${gateCount}`,
        },
      ],
      notes: [
        'Every gate is contained (src/process/containment.ts): where PID namespaces work, each gate runs in a PID ' +
          'namespace of its own, created by the long-lived contained spawner (src/process/spawner/: one `setpriv` -> ' +
          '`unshare` -> Perl spawner per Sluice process, then per gate a fork into a new namespace, its init, ' +
          '`sh -c true`); the process-group fallback instead sweeps /proc for what the gate left behind.',
        'lefthook is started as npm installs it (node_modules/.bin/lefthook, a Node wrapper around the Go binary), ' +
          'with --no-tty --no-auto-install; it runs each command through a shell, as Sluice does.',
      ],
    };
  });
}

if (import.meta.main) await runAlone(benchManyGates);
