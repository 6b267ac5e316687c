import { describe, expect, it } from 'vitest';
import { type EvidenceInput, evidenceJson, renderEvidenceMarkdown } from '../../../src/review/evidence-report.ts';

const input: EvidenceInput = {
  run: {
    id: '20261124-103012-k3f9',
    goal: 'Give 10% off from 10 items',
    verdict: 'done',
    agent: 'claude-code',
    model: 'claude-sonnet-4-5',
    baseRef: 'main',
    baseCommit: '0123456789abcdef0123',
    branch: 'sluice/20261124-103012-k3f9',
    startedAt: '2026-11-24T10:30:12.000Z',
    finishedAt: '2026-11-24T10:34:40.000Z',
  },
  iterations: [
    {
      number: 1,
      agentStatus: 'finished',
      checkVerdict: 'failed',
      commitSha: 'aaaaaaaaaaaaaaaa',
      diff: { filesChanged: 1, insertions: 3, deletions: 1 },
      durationMs: 4200,
    },
    {
      number: 2,
      agentStatus: 'finished',
      checkVerdict: 'passed',
      commitSha: 'bbbbbbbbbbbbbbbb',
      diff: { filesChanged: 1, insertions: 1, deletions: 1 },
      durationMs: 3100,
    },
  ],
  finalCheck: {
    verdict: 'passed',
    durationMs: 900,
    cancelled: false,
    gates: [
      {
        name: 'unit',
        kind: 'test',
        tier: 2,
        blocking: true,
        status: 'passed',
        durationMs: 800,
        failures: [],
        problems: [],
        counts: { total: 7, passed: 7, failed: 0, skipped: 0 },
      },
    ],
  },
  totalDiff: { filesChanged: 1, insertions: 4, deletions: 2 },
  usage: [
    {
      model: 'claude-sonnet-4-5',
      inputTokens: 1200,
      outputTokens: 300,
      cacheReadTokens: 0,
      cacheWriteTokens: 5000,
      costUsd: 0.05,
      apiMs: 2500,
      turns: 4,
    },
  ],
};

describe('the evidence report', () => {
  it('shows verdict, gates with test counts, iterations, the diff and usage', () => {
    const markdown = renderEvidenceMarkdown(input);
    expect(markdown).toContain('# Sluice run 20261124-103012-k3f9: done');
    expect(markdown).toContain('- Change: 1 file, +4 −2');
    expect(markdown).toContain('| unit | passed | 0.8s | 7/7 passed |');
    expect(markdown).toContain('| 2 | finished | passed | 1 file, +1 −1 | bbbbbbbbbbbb | 3.1s |');
    expect(markdown).toContain(
      '- claude-sonnet-4-5: 1.2k input, 300 output, 0 cache read, 5.0k cache write ($0.05), API 3s',
    );
  });

  it('has the same facts as JSON', () => {
    const json = evidenceJson(input);
    expect(json.gates).toEqual([
      { name: 'unit', status: 'passed', duration_ms: 800, counts: { total: 7, passed: 7, failed: 0, skipped: 0 } },
    ]);
    expect(json.diff).toEqual({ filesChanged: 1, insertions: 4, deletions: 2 });
  });
});
