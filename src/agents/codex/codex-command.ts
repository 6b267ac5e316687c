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
  /**
   * Run Codex's own sandbox (`workspace-write`) with these folders writable besides the worktree and
   * TMPDIR; without it, Codex runs with no sandbox and no approvals.
   */
  sandbox?: { writableRoots: string[] };
  /** A JSON Schema file the final answer must follow (`--output-schema`), outside the worktree. */
  outputSchemaPath?: string;
}

const bareKey = /^[A-Za-z0-9_-]+$/;

/**
 * The exact argv of one `codex exec --json` turn: in Codex's `workspace-write` sandbox when `sandbox` is given,
 * else without sandbox or approvals. Never any approval prompt: nobody is there to answer it. The prompt is read
 * from stdin (`-`), so its size and a leading `-` do not matter; stdin is then closed, which `codex exec` needs
 * before it starts.
 */
export function codexArgs(input: CodexArgsInput): string[] {
  const args = ['exec'];
  if (input.sessionId !== undefined) args.push('resume');
  args.push('--json', '--skip-git-repo-check');
  args.push(...(input.sandbox ? sandboxArgs(input.sandbox, input.sessionId !== undefined) : [bypassFlag]));
  args.push('--disable', 'plugins'); // no lookups of plugin marketplaces on outside hosts
  if (input.provider) args.push(...providerArgs(input.provider));
  if (input.model !== undefined) args.push('-m', input.model);
  if (input.outputSchemaPath !== undefined) args.push('--output-schema', input.outputSchemaPath);
  if (input.sessionId !== undefined) args.push(checkedSessionId(input.sessionId));
  args.push('-');
  return args;
}

const bypassFlag = '--dangerously-bypass-approvals-and-sandbox';

/**
 * Codex's workspace-write sandbox: the worktree, TMPDIR (a private folder per turn) and `writableRoots`
 * writable; `/tmp` not (by default it is, and other runs' worktrees and the user's files can live there).
 * The network stays open, as without the sandbox: this confines writes, not downloads. `exec resume` has no
 * `--sandbox` flag, so there the same setting goes in as config.
 */
function sandboxArgs(sandbox: { writableRoots: string[] }, resumed: boolean): string[] {
  const roots = `[${sandbox.writableRoots.map(tomlString).join(',')}]`;
  return [
    ...(resumed ? ['-c', 'sandbox_mode="workspace-write"'] : ['--sandbox', 'workspace-write']),
    '-c',
    'approval_policy="never"',
    '-c',
    'sandbox_workspace_write.exclude_slash_tmp=true',
    '-c',
    'sandbox_workspace_write.network_access=true',
    '-c',
    `sandbox_workspace_write.writable_roots=${roots}`,
  ];
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
