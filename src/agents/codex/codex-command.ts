import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.ts';

/** A model provider other than OpenAI's own: any endpoint that speaks the OpenAI Responses API. */
export interface CodexProvider {
  /** The provider's id in Codex's config (letters, digits, `_`, `-`). */
  name: string;
  /** Up to and including `/v1`, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The environment variable that holds the API key (its value is never put in the argv). */
  envKey: string;
  wireApi: 'responses';
}

export interface CodexArgsInput {
  model?: string;
  /** Resume this session (`codex exec resume <id>`) instead of starting one. */
  sessionId?: string;
  provider?: CodexProvider;
}

const bareKey = /^[A-Za-z0-9_-]+$/;

/**
 * The exact argv of one `codex exec --json` turn. Sluice owns the worktree, so Codex runs without its sandbox or
 * approvals. The prompt is read from stdin (`-`), so its size and a leading `-` do not matter; stdin is then closed,
 * which `codex exec` needs before it starts.
 */
export function codexArgs(input: CodexArgsInput): string[] {
  const args = ['exec'];
  if (input.sessionId !== undefined) args.push('resume');
  args.push('--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox');
  args.push('--disable', 'plugins'); // no lookups of plugin marketplaces on outside hosts
  if (input.provider) args.push(...providerArgs(input.provider));
  if (input.model !== undefined) args.push('-m', input.model);
  if (input.sessionId !== undefined) args.push(checkedSessionId(input.sessionId));
  args.push('-');
  return args;
}

/** `-c` overrides that select a custom provider (Codex ignores OPENAI_BASE_URL). */
function providerArgs(provider: CodexProvider): string[] {
  if (!bareKey.test(provider.name)) {
    throw new ConfigError(`codex provider name "${provider.name}" may use only letters, digits, "_" and "-"`);
  }
  const table = [
    `name=${tomlString(provider.name)}`,
    `base_url=${tomlString(provider.baseUrl)}`,
    `env_key=${tomlString(provider.envKey)}`,
    `wire_api=${tomlString(provider.wireApi)}`,
  ].join(',');
  return ['-c', `model_provider=${tomlString(provider.name)}`, '-c', `model_providers.${provider.name}={${table}}`];
}

function checkedSessionId(sessionId: string): string {
  if (sessionId === '' || sessionId.startsWith('-')) throw new ConfigError(`not a codex session id: "${sessionId}"`);
  return sessionId;
}

/** A TOML basic string; JSON's escapes are a subset of TOML's for everything JSON.stringify emits. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

const platformTargets: Record<string, { suffix: string; triple: string }> = {
  'linux-x64': { suffix: 'linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { suffix: 'linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { suffix: 'darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { suffix: 'darwin-arm64', triple: 'aarch64-apple-darwin' },
};

/**
 * The native binary of the installed `@openai/codex`, found the way its JS launcher finds it (the platform package
 * `@openai/codex-<os>-<cpu>`, `vendor/<target triple>/bin/codex`); undefined when it is not installed here.
 */
export function resolveCodexBinary(from: string = import.meta.url): string | undefined {
  const target = platformTargets[`${process.platform}-${process.arch}`];
  if (!target) return undefined;
  try {
    const launcher = createRequire(from).resolve('@openai/codex/package.json');
    const platformPackage = createRequire(launcher).resolve(`@openai/codex-${target.suffix}/package.json`);
    const binary = join(dirname(platformPackage), 'vendor', target.triple, 'bin', 'codex');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}
