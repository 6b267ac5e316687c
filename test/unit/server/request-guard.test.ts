import { describe, expect, it } from 'vitest';
import { isOwnHost } from '../../../src/server/request-guard.ts';
import { ReviewClock } from '../../../src/server/review-clock.ts';

const rules = { host: '127.0.0.1', port: () => 4321 };

describe('isOwnHost: the Host a browser sends to this server, not a rebound name', () => {
  it.each(['127.0.0.1:4321', 'localhost:4321', 'LOCALHOST:4321', '[::1]:4321', '10.0.0.5:4321'])(
    'accepts %s',
    (host) => {
      expect(isOwnHost(host, rules)).toBe(true);
    },
  );

  it.each([
    undefined,
    '',
    'evil.example:4321',
    'localhost.evil.example:4321',
    '127.0.0.1.nip.io:4321',
    'sluice.localhost.attacker:4321',
    '127.0.0.1',
    '127.0.0.1:80',
    '127.0.0.1:43210',
    '127.0.0.1:4321:4321',
    '127.0.0.1:4321@evil.example',
    'user@127.0.0.1:4321',
    '[::1:4321',
    ' evil.example:4321',
  ])('refuses %s', (host) => {
    expect(isOwnHost(host, rules)).toBe(false);
  });

  it('accepts the --host name it was given', () => {
    expect(isOwnHost('devbox.lan:4321', { host: 'devbox.lan', port: () => 4321 })).toBe(true);
    expect(isOwnHost('devbox.lan:4321', rules)).toBe(false);
  });
});

describe('ReviewClock: reported review time is capped by the time that passed', () => {
  it('accepts at most a beat of time first, then no more than the wall time since the last beat', () => {
    let now = 1_000_000;
    const clock = new ReviewClock(() => now);
    expect(clock.accept('r#1', 10_000_000)).toBe(ReviewClock.maxPerBeatMs);
    now += 30_000;
    expect(clock.accept('r#1', 60_000)).toBe(30_000 + ReviewClock.slackMs);
    now += 1_000;
    expect(clock.accept('r#1', 60_000)).toBe(1_000 + ReviewClock.slackMs);
    expect(clock.accept('r#1', -5)).toBe(0);
    // Another item's beats do not lend it time.
    now += 10_000;
    expect(clock.accept('r#2', 5_000)).toBe(5_000);
    expect(clock.accept('r#2', 5_000)).toBe(ReviewClock.slackMs);
  });
});
