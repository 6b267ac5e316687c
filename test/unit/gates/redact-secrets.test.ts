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
});

describe('createRedactor: short secrets and credentials in URLs', () => {
  it('hides named secrets of four to seven characters, as whole words', () => {
    const redact = createRedactor({ DB_PASSWORD: 'dogs', API_KEY: 'k3y!9z', PIN_SECRET: '4711' });
    expect(redact('login dogs failed; key k3y!9z; pin 4711')).toBe(
      'login [redacted:DB_PASSWORD] failed; key [redacted:API_KEY]; pin [redacted:PIN_SECRET]',
    );
    expect(redact('password=dogs,')).toBe('password=[redacted:DB_PASSWORD],');
    expect(redact('hotdogs and dogsled stay; 147112 too')).toBe('hotdogs and dogsled stay; 147112 too');
  });

  it('still leaves settings alone: shorter than four characters, or booleans', () => {
    expect(createRedactor({ AUTH_ENABLED: 'true', SECRET_MODE: '1', TOKEN_TTL: '60' })('true 1 60')).toBe('true 1 60');
  });

  it('does not take the git author for a secret', () => {
    expect(createRedactor({ GIT_AUTHOR_NAME: 'Anna', GIT_AUTHOR_EMAIL: 'anna@example.com' })('Anna wrote it')).toBe(
      'Anna wrote it',
    );
  });

  it.each([
    ['postgres://app:s3cr3t@db:5432/app', 'postgres://app:[redacted:url-password]@db:5432/app'],
    ['mysql://root:p@ss:w0rd@localhost/x', 'mysql://root:[redacted:url-password]@localhost/x'],
    ['https://ghp_abc123XYZ@github.com/o/r.git', 'https://[redacted:url-token]@github.com/o/r.git'],
    [
      'https://x-access-token:ghs_Tok3n@github.com/o/r',
      'https://x-access-token:[redacted:url-password]@github.com/o/r',
    ],
    ['redis://:hunter2@cache:6379', 'redis://:[redacted:url-password]@cache:6379'],
    ['"amqp://guest:guest@rabbit/"', '"amqp://guest:[redacted:url-password]@rabbit/"'],
  ])('hides the credentials in %s', (url, expected) => {
    expect(createRedactor({})(`connect ${url} failed`)).toBe(`connect ${expected} failed`);
  });

  it.each([
    'ssh://git@github.com/o/r.git',
    'https://example.com/a@b',
    'https://example.com/?mail=a@b.c',
    'mail me at dev@example.com',
    'http://localhost:3000/x',
  ])('leaves %s alone: no credential in it', (text) => {
    expect(createRedactor({})(text)).toBe(text);
  });

  it('hides a URL password that is also a named secret only once', () => {
    expect(createRedactor({ DB_PASSWORD: 's3cr3tpass' })('postgres://app:s3cr3tpass@db/app')).toBe(
      'postgres://app:[redacted:DB_PASSWORD]@db/app',
    );
  });
});
