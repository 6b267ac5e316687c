const secretName = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH/i;
const minimumSecretLength = 8;

/** Replaces the values of secret-looking environment variables with `[redacted:NAME]`. */
export type Redact = (text: string) => string;

/**
 * A redactor for the secrets in `env` (names such as API_KEY, GITHUB_TOKEN, DB_PASSWORD): whatever a gate
 * printed, they never reach the feedback, the JSON results or the agent.
 */
export function createRedactor(env: Record<string, string | undefined>): Redact {
  const secrets = Object.entries(env)
    .filter(
      (entry): entry is [string, string] => secretName.test(entry[0]) && (entry[1]?.length ?? 0) >= minimumSecretLength,
    )
    .sort((a, b) => b[1].length - a[1].length);
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let redacted = text;
    for (const [name, value] of secrets) redacted = redacted.replaceAll(value, `[redacted:${name}]`);
    return redacted;
  };
}
