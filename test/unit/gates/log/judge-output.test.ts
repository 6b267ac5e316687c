import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gateSchema } from '../../../../src/config/schema.ts';
import type { GateResult } from '../../../../src/gates/gate-results.ts';
import { judgeOutput } from '../../../../src/gates/judge-output.ts';
import { ServiceSet } from '../../../../src/gates/services/service-set.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { writeFiles } from '../../../support/write-files.ts';

const passed: GateResult = {
  name: 'startup',
  kind: 'log',
  tier: 1,
  blocking: true,
  status: 'passed',
  durationMs: 5,
  failures: [],
  problems: [],
};

describe('judgeOutput', () => {
  it('reads the log of the service a log gate names, and says whose log failed', async () => {
    const root = tempDir();
    const sluiceDir = join(root, '.sluice');
    writeFiles(root, { '.sluice/logs/service-app.log': 'listening\nERROR pool exhausted\n', 'gate.log': 'ok\n' });
    const services = new ServiceSet({ services: {}, root, sluiceDir });
    const gate = gateSchema.parse({ kind: 'log', services: ['app'], log: { of: 'app', must_not: ['ERROR'] } });
    const judged = await judgeOutput(passed, gate, { cwd: root, logFile: join(root, 'gate.log'), services });
    expect(judged.status).toBe('failed');
    expect(judged.reason).toBe('1 forbidden line in the log of service "app"');
    expect(judged.failures[0]?.message).toBe(
      'forbidden: "ERROR" matches 1 line of the log of service "app"\nline 2: ERROR pool exhausted',
    );
  });

  it('fails when the service log is missing', async () => {
    const root = tempDir();
    const services = new ServiceSet({ services: {}, root, sluiceDir: join(root, '.sluice') });
    const gate = gateSchema.parse({ kind: 'log', services: ['app'], log: { of: 'app', must: ['ready'] } });
    const judged = await judgeOutput(passed, gate, { cwd: root, logFile: join(root, 'gate.log'), services });
    expect(judged.reason).toBe('the log of service "app" is missing');
  });

  it('names both blocks when the invariant and the log fail, and keeps a passing gate passed', async () => {
    const root = tempDir();
    writeFiles(root, { 'gate.log': 'WARN slow\n{"count": 2}\n' });
    const gate = gateSchema.parse({
      kind: 'invariant',
      run: 'true',
      invariant: { assert: [{ that: 'count = 3', name: 'three items' }] },
      log: { must: ['done'], must_not: ['WARN'] },
    });
    const judged = await judgeOutput(passed, gate, { cwd: root, logFile: join(root, 'gate.log') });
    expect(judged.reason).toBe('invariant broken: three items; 1 line missing, 1 forbidden line in the output');
    expect(judged.failures).toHaveLength(3);

    const fine = gateSchema.parse({ run: 'true', invariant: { assert: ['count = 2'] }, log: { must: ['WARN'] } });
    expect(await judgeOutput(passed, fine, { cwd: root, logFile: join(root, 'gate.log') })).toBe(passed);
  });
});
