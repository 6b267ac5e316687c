import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/gates/redact-secrets.ts';

describe('createRedactor', () => {
  it('hides the values of secret-looking variables, longest first', () => {
    const redact = createRedactor({
      OPENAI_API_KEY: 'sk-abcdefgh12345678',
      GITHUB_TOKEN: 'ghp_secretvalue99',
      DB_PASSWORD: 'hunter2hunter2',
      HOME: '/home/dev/somewhere',
    });
    expect(redact('auth with sk-abcdefgh12345678 and ghp_secretvalue99 from /home/dev/somewhere')).toBe(
      'auth with [redacted:OPENAI_API_KEY] and [redacted:GITHUB_TOKEN] from /home/dev/somewhere',
    );
    expect(redact('password hunter2hunter2!')).toBe('password [redacted:DB_PASSWORD]!');
  });

  it('leaves short values alone: "1" or "true" would blank ordinary text', () => {
    expect(createRedactor({ AUTH_ENABLED: 'true', SECRET_MODE: '1' })('true 1')).toBe('true 1');
  });
});
