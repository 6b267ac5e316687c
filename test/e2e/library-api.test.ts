import { describe, expect, it } from 'vitest';
import { type CheckEvent, compactFeedback, parseConfigText, runGateGraph } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('the library API', () => {
  it('runs a gate graph from a config and reports typed events in order', async () => {
    const root = tempDir();
    const config = parseConfigText(
      'gates:\n  ok: { run: "true" }\n  bad: { run: "echo nope; exit 4", needs: [ok] }\n',
      'inline',
    );
    const events: CheckEvent['type'][] = [];
    const result = await runGateGraph({ config, root, onEvent: (event) => events.push(event.type) });
    expect(result.verdict).toBe('failed');
    expect(result.gates.map((gate) => [gate.name, gate.status, gate.exitCode])).toEqual([
      ['ok', 'passed', 0],
      ['bad', 'failed', 4],
    ]);
    expect(events).toEqual(['check:start', 'gate:start', 'gate:finish', 'gate:start', 'gate:finish', 'check:finish']);
    expect(compactFeedback(result)).toContain('## bad: exit 4; log: .sluice/logs/bad.log');
  });
});
