/** Base of every error Sluice throws on purpose; `code` is stable, the CLI maps it to an exit code. */
export class SluiceError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A malformed or inconsistent sluice.yaml, or a bad flag: the user must fix input (exit 2). */
export class ConfigError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export class UsageError extends SluiceError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
