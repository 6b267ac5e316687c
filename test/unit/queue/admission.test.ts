import { describe, expect, it } from 'vitest';
import { type AdmissionState, admit } from '../../../src/queue/admission.ts';

const capacity = { minutesPerDay: 120, source: 'configured' as const, explanation: '' };
const day = 86_400_000;
const task = (id: string, priority = 0, createdAt = `2026-11-24T10:00:0${id.length}Z`) => ({ id, priority, createdAt });
const state = (over: Partial<AdmissionState> = {}): AdmissionState => ({
  queued: [task('a'), task('b'), task('c')],
  running: 0,
  reviewWaitingMinutes: 0,
  expectedRunMinutes: 30,
  spentUsdToday: 0,
  capacity,
  ...over,
});

describe('admit', () => {
  it('starts up to the concurrency limit, highest priority first, the rest wait with the reason', () => {
    const decision = admit(state({ queued: [task('a'), task('b', 5), task('c', 1)] }), {
      concurrency: 2,
      targetLatencyMs: day,
    });
    expect(decision.start).toEqual(['b', 'c']);
    expect(decision.waiting).toEqual([{ taskId: 'a', reason: 'waiting: 2 of 2 runs in flight' }]);
  });

  it('holds new work while waiting review plus runs in flight, the new one included, exceed capacity x target', () => {
    const decision = admit(state({ reviewWaitingMinutes: 120, running: 2 }), { concurrency: 8, targetLatencyMs: day });
    expect(decision.start).toEqual([]);
    // 120 waiting + 3 runs x 30 expected = 210 min, against 120 min/day x 1 day.
    expect(decision.waiting[0]).toEqual({
      taskId: 'a',
      reason: 'held: review queue 3.5 h, capacity 2 h/day, target 1 day',
    });
    expect(decision.waiting).toHaveLength(3);
  });

  it('counts the runs it starts: room for 60 minutes takes two runs of 30, not three', () => {
    const decision = admit(state({ reviewWaitingMinutes: 60 }), { concurrency: 8, targetLatencyMs: day });
    // 60 + 30 and 60 + 60 fit in 120; 60 + 90 does not.
    expect(decision.start).toEqual(['a', 'b']);
    expect(decision.waiting.map((entry) => entry.taskId)).toEqual(['c']);
  });

  it('always lets one run start into an empty pipeline, even when one change is bigger than the target', () => {
    const decision = admit(state({ expectedRunMinutes: 500 }), { concurrency: 4, targetLatencyMs: day });
    expect(decision.start).toEqual(['a']);
  });

  it('holds everything once the day’s spend reaches its cap', () => {
    const decision = admit(state({ spentUsdToday: 20.5 }), { concurrency: 4, maxUsdPerDay: 20, targetLatencyMs: day });
    expect(decision.start).toEqual([]);
    expect(decision.waiting[0]?.reason).toBe('held: $20.50 of $20.00 spent today');
  });
});
