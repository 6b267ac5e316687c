// AUTH, but not GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL: an author is not a secret.
const secretName = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH(?!OR)/i;

/** A named secret shorter than this is taken for a setting ("1", "on", "dev"), not a secret. */
const minimumSecretLength = 4;
/**
 * Values up to this long are replaced only as whole words: a four-letter password "dogs" must not
 * turn "hotdogs" into "hot[redacted]". Longer values are rare inside other words and replaced anywhere.
 */
const wholeWordBelowLength = 8;
/** Values of secret-named switches (AUTH_ENABLED=true) that are plainly not secrets. */
const notSecrets = new Set(['true', 'false', 'null', 'none', 'undefined', 'enabled', 'disabled', 'yes', 'no']);

/** Replaces the values of secret-looking environment variables with `[redacted:NAME]`. */
export type Redact = (text: string) => string;

/**
 * A redactor for the secrets in `env` (names such as API_KEY, GITHUB_TOKEN, DB_PASSWORD), of any length
 * from four characters, and for credentials written into URLs (`postgres://user:pass@host`,
 * `https://token@github.com`): whatever a gate printed, they never reach the feedback, the JSON
 * results or the agent.
 */
export function createRedactor(env: Record<string, string | undefined>): Redact {
  const secrets = Object.entries(env)
    .filter(
      (entry): entry is [string, string] =>
        secretName.test(entry[0]) &&
        (entry[1]?.trim().length ?? 0) >= minimumSecretLength &&
        !notSecrets.has(entry[1]?.trim().toLowerCase() ?? ''),
    )
    .sort((a, b) => b[1].length - a[1].length)
    .map(([name, value]) => ({ name, value, pattern: secretPattern(value) }));
  return (text) => {
    let redacted = text;
    for (const { name, value, pattern } of secrets) {
      redacted = pattern
        ? redacted.replace(pattern, `[redacted:${name}]`)
        : redacted.replaceAll(value, `[redacted:${name}]`);
    }
    return redactUrlCredentials(redacted);
  };
}

function secretPattern(value: string): RegExp | undefined {
  if (value.length >= wholeWordBelowLength) return undefined;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g');
}

// scheme://authority: the authority ends at the path, query, fragment, whitespace or a quote.
const urlAuthority = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#"'<>`]+)/g;
// A user name alone (`ssh://git@host`, `https://deploy@host`) is an account, not a credential.
const plainAccount = /^[a-z][a-z-]{0,15}$/;

/**
 * `scheme://user:password@host` keeps the user and hides the password; `scheme://token@host` hides
 * the token. The userinfo ends at the last "@" of the authority, so a raw "@" in a password is hidden too.
 */
function redactUrlCredentials(text: string): string {
  return text.replace(urlAuthority, (whole, scheme: string, authority: string) => {
    const at = authority.lastIndexOf('@');
    if (at <= 0) return whole;
    const userinfo = authority.slice(0, at);
    const host = authority.slice(at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      if (userinfo.slice(colon + 1) === '' || userinfo.slice(colon + 1).startsWith('[redacted')) return whole;
      return `${scheme}${userinfo.slice(0, colon)}:[redacted:url-password]${host}`;
    }
    if (plainAccount.test(userinfo) || userinfo.startsWith('[redacted')) return whole;
    return `${scheme}[redacted:url-token]${host}`;
  });
}
