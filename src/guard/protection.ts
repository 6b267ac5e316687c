import picomatch from 'picomatch';
import { defaultProtectedGlobs } from '../config/guard-defaults.ts';
import type { GuardConfig } from '../config/guard-schema.ts';
import { isTestFile } from './tests/test-languages.ts';

/** Which files the agent may not change, from `guard:` in sluice.yaml. */
export interface Protection {
  /** The glob that protects `path` from any change, or undefined. Test files are judged by the rules instead. */
  protectedBy(path: string): string | undefined;
  /** Why a tool hook should refuse a write to `path` (`exists`: whether the file is there now), or undefined. */
  refusesWrite(path: string, exists: boolean): string | undefined;
}

export function protectionOf(config: Pick<GuardConfig, 'protect' | 'allow' | 'protect_tests'>): Protection {
  const globs = [...defaultProtectedGlobs, ...config.protect];
  const matchers = globs.map((glob) => ({ glob, matches: picomatch(glob, { dot: true }) }));
  const allowed = picomatch(config.allow.length > 0 ? config.allow : ['\0'], { dot: true });
  const protectedBy = (path: string) => {
    if (allowed(path)) return undefined;
    return matchers.find(({ matches }) => matches(path))?.glob;
  };
  return {
    protectedBy,
    refusesWrite(path, exists) {
      const glob = protectedBy(path);
      if (glob && exists) return `it is protected by "${glob}"`;
      if (config.protect_tests && exists && !allowed(path) && isTestFile(path)) return 'it is an existing test file';
      return undefined;
    },
  };
}
