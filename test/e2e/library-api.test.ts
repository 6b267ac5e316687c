import { describe, expect, it } from 'vitest';
import { type CheckEvent, compactFeedback, parseConfigText, runGateGraph } from '../../src/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFiles } from '../support/write-files.ts';

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

  it('sees an input that an upstream gate rewrote, even when the same process hashed it before', async () => {
    const root = tempDir();
    writeFiles(root, { 'src.txt': 'a' });
    const config = parseConfigText(
      `gates:
  generate: { run: "cat src.txt > gen.txt", inputs: [src.txt], tier: 1 }
  use: { run: "true", inputs: [gen.txt], tier: 2 }
`,
      'inline',
    );
    const statuses = async () => (await runGateGraph({ config, root })).gates.map((gate) => gate.status);
    expect(await statuses()).toEqual(['passed', 'passed']);
    expect(await statuses()).toEqual(['cached', 'cached']);
    // Same size, and \`use\` does not need \`generate\` (only runs after it): its key is gen.txt's content alone.
    writeFiles(root, { 'src.txt': 'b' });
    expect(await statuses()).toEqual(['passed', 'passed']);
    expect(await statuses()).toEqual(['cached', 'cached']);
  });
});
