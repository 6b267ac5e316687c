import { type SluiceInvocation, sluiceCommandLine } from './sluice-hook-commands.ts';

export const gitHookNames = ['pre-commit', 'pre-push'] as const;
export type GitHookName = (typeof gitHookNames)[number];

/** The line by which Sluice knows its own git hooks. */
export const gitHookMarker = '# installed by sluice hooks install --git';
/** The hook that was there before Sluice's, moved aside: `pre-commit.sluice-chained`. */
export const chainedHookSuffix = '.sluice-chained';
const createdDirPrefix = '# sluice created this folder: ';

export interface GitHookScriptOptions {
  invocation: SluiceInvocation;
  /** pre-commit runs the gates of tiers <= this one (the cheapest); pre-push runs them all. */
  cheapTier: number;
  /** The topmost folder install had to create for the hooks, which uninstall removes once empty. */
  createdDir?: string | undefined;
}

// What git sets for a hook (GIT_INDEX_FILE during a commit) must not reach the gates: a test suite that
// makes its own temp repositories would write into this one's index.
const repositoryLocators =
  'GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_COMMON_DIR GIT_NAMESPACE GIT_PREFIX';

/**
 * The POSIX sh script of one hook: run the hook Sluice moved aside (same arguments, same stdin: pre-push
 * reads the refs there) and fail if it fails, then Sluice's checks from the top of the working tree.
 */
export function gitHookScript(name: GitHookName, options: GitHookScriptOptions): string {
  const sluice = (...args: string[]) => `${sluiceCommandLine(options.invocation, ...args)} </dev/null || exit $?`;
  const checks =
    name === 'pre-commit'
      ? [
          `# The cheap gates only (tier <= ${options.cheapTier}), then the guard on the uncommitted change.`,
          sluice('check', '--max-tier', String(options.cheapTier)),
          `if git rev-parse --verify --quiet HEAD >/dev/null; then`,
          `  ${sluice('guard')}`,
          'fi',
        ]
      : [
          "# Every blocking gate, on each commit being pushed as committed: in a clean checkout of Sluice's own,",
          '# without the cache, so files git does not track cannot make a push pass.',
          `for sha in $(printf '%s\\n' "$refs" | awk '$2 !~ /^0+$/ { print $2 }' | sort -u); do`,
          `  ${sluiceCommandLine(options.invocation, 'check', '--commit')} "$sha" </dev/null || exit $?`,
          'done',
        ];
  return [
    '#!/bin/sh',
    gitHookMarker,
    `# Sluice's ${name} hook. "sluice hooks uninstall --git" removes it and puts back the hook that was here.`,
    ...(options.createdDir === undefined ? [] : [`${createdDirPrefix}${options.createdDir}`]),
    '',
    ...(name === 'pre-push'
      ? ['# The refs being pushed, one per line: read once, handed to the chained hook too.', 'refs=$(cat)']
      : []),
    `chained="$0${chainedHookSuffix}"`,
    'if [ -x "$chained" ]; then',
    '  case $(head -n 1 "$chained") in',
    "    '#!/bin/sh' | '#!/usr/bin/env sh')",
    '      # Sourced in a subshell, an sh hook still finds itself in $0: stubs that locate their tool',
    '      # from their own path and name (husky) keep working.',
    `      ${name === 'pre-push' ? `printf '%s\\n' "$refs" | ` : ''}(. "$chained") || exit $? ;;`,
    `    *) ${name === 'pre-push' ? `printf '%s\\n' "$refs" | ` : ''}"$chained" "$@" || exit $? ;;`,
    '  esac',
    'fi',
    '',
    'top=$(git rev-parse --show-toplevel) || exit $?',
    'cd "$top" || exit $?',
    `unset ${repositoryLocators}`,
    ...checks,
    '',
  ].join('\n');
}

/** True for a hook script Sluice wrote. */
export function isSluiceGitHook(text: string): boolean {
  return text.split('\n').includes(gitHookMarker);
}

/** The folder a Sluice hook script says install created, if any. */
export function createdDirOf(text: string): string | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(createdDirPrefix));
  return line?.slice(createdDirPrefix.length);
}
