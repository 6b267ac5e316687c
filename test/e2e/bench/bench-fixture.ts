import { parseConfigText } from '../../../src/config/load-config.ts';
import type { SluiceConfig } from '../../../src/config/schema.ts';
import type { BenchResult, MetricResult } from '../../../src/gates/bench/bench-types.ts';
import { formatMetricResult } from '../../../src/gates/bench/format-metric.ts';
import type { CheckResult } from '../../../src/gates/gate-results.ts';
import { runGateGraph } from '../../../src/gates/run-gate-graph.ts';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

/**
 * Sleeping stays steady on a loaded machine where a busy loop would not; each run reports the median
 * of 5 sleeps, so one late wake-up does not make the run an outlier.
 */
export const benchScript = `import { setTimeout as sleep } from 'node:timers/promises';
import { workMs } from './src/work.js';

const times = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  await sleep(workMs);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log('measured', times.length, 'sleeps');
console.log(JSON.stringify({ p50_ms: times[2], runs: times.length }));
`;

/** The work the agent speeds up (or slows down): how long each sleep of the benchmark lasts. */
export function workFile(ms: number): string {
  return `// The expensive part.\nexport const workMs = ${ms};\n`;
}

/** sluice.yaml of the fixture with a `speed` bench gate; `extra` is more YAML under `bench:`. */
export function benchConfigText(extra = '', setup = ''): string {
  return `${setup}gates:
  speed:
    kind: bench
    run: node bench.js
    timeout: 60s
    bench:
      runs: 7
      warmup: 1
      metrics:
        p50_ms: { json: p50_ms, unit: ms }
${extra}`;
}

/** A committed project whose benchmark sleeps `ms` per step: the base every case compares with. */
export async function benchProject(ms = 40, config = benchConfigText()): Promise<string> {
  return gitdir({
    files: {
      'package.json': '{ "name": "fixture", "type": "module", "private": true }\n',
      'bench.js': benchScript,
      'src/work.js': workFile(ms),
      'sluice.yaml': config,
    },
  });
}

/** Run the check through the library, comparing with HEAD (the committed base). */
export async function checkAgainstHead(root: string, configText: string): Promise<CheckResult> {
  const config: SluiceConfig = parseConfigText(configText, 'sluice.yaml');
  return runGateGraph({ config, root, baseRef: 'HEAD' });
}

/** The bench result and its only metric, failing loudly when the gate did not measure. */
export function speedOf(check: CheckResult): { bench: BenchResult; metric: MetricResult; line: string } {
  const gate = check.gates.find((candidate) => candidate.name === 'speed');
  const metric = gate?.bench?.metrics[0];
  if (!gate?.bench || !metric) throw new Error(`no bench result: ${JSON.stringify(gate)}`);
  return { bench: gate.bench, metric, line: formatMetricResult(metric) };
}

export { writeFiles };
