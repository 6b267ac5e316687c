import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const wrapperPackage = '@anthropic-ai/claude-code';

/**
 * The Claude Code executable to run: the native binary of the platform package installed next to
 * `@anthropic-ai/claude-code` (its `bin/claude.exe` is only a placeholder until its postinstall
 * runs, which npm 11 skips), else `claude`, looked up on PATH when it is spawned.
 */
export function resolveClaudeBinary(searchFrom: string = import.meta.url): string {
  return findPlatformBinary(searchFrom) ?? 'claude';
}

/** The platform package's binary, or undefined when `@anthropic-ai/claude-code` or its platform package is not installed. */
export function findPlatformBinary(searchFrom: string = import.meta.url): string | undefined {
  const key = platformKey();
  let wrapperManifest: string;
  try {
    wrapperManifest = createRequire(searchFrom).resolve(`${wrapperPackage}/package.json`);
  } catch {
    return undefined;
  }
  let platformManifest: string;
  try {
    // Resolved from the wrapper itself: found beside it or in its own node_modules, as npm places it.
    platformManifest = createRequire(wrapperManifest).resolve(`${wrapperPackage}-${key}/package.json`);
  } catch {
    return undefined;
  }
  const binary = join(dirname(platformManifest), process.platform === 'win32' ? 'claude.exe' : 'claude');
  return existsSync(binary) ? binary : undefined;
}

/** `linux-x64`, `linux-arm64-musl`, `darwin-arm64`, `win32-x64`: the suffix of Claude Code's platform packages. */
export function platformKey(): string {
  const base = `${process.platform}-${process.arch}`;
  return process.platform === 'linux' && isMusl() ? `${base}-musl` : base;
}

let muslLibc: boolean | undefined;

function isMusl(): boolean {
  if (muslLibc === undefined) {
    // glibc reports its version in the process report's header; musl reports none.
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    muslLibc = report?.header !== undefined && report.header.glibcVersionRuntime === undefined;
  }
  return muslLibc;
}
