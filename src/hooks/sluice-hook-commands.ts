/** How a hook starts this Sluice: absolute paths, so the hook does not depend on the agent's or git's PATH. */
export interface SluiceInvocation {
  /** The Node.js executable. */
  node: string;
  /** Sluice's `bin/sluice.js`. */
  bin: string;
}

/** One hook Sluice adds to an agent's hooks file, under `hooks.<event>`, as a `command` hook. */
export interface AgentHookEntry {
  event: 'Stop' | 'PreToolUse';
  /** The tool names it runs for (a regex, as Claude Code and Codex read it); none for Stop. */
  matcher?: string;
  command: string;
}

/** The tools that write files or run commands: what the PreToolUse hook looks at. */
export const fileWritingToolsMatcher = 'Write|Edit|MultiEdit|NotebookEdit|Bash';

/** How Sluice recognises its own hook commands, whatever paths they were installed with. */
const sluiceAgentHookCommand = /sluice(\.js)?'? hook (stop|pre-tool-use)$/;

/** `<node> <bin> <args>` as one shell command line. */
export function sluiceCommandLine(invocation: SluiceInvocation, ...args: string[]): string {
  return [invocation.node, invocation.bin, ...args].map(shellQuote).join(' ');
}

/** The Stop and PreToolUse hooks Sluice installs for Claude Code and Codex (both read the same shape). */
export function sluiceAgentHooks(invocation: SluiceInvocation): AgentHookEntry[] {
  return [
    { event: 'Stop', command: sluiceCommandLine(invocation, 'hook', 'stop') },
    {
      event: 'PreToolUse',
      matcher: fileWritingToolsMatcher,
      command: sluiceCommandLine(invocation, 'hook', 'pre-tool-use'),
    },
  ];
}

/** True for a command Sluice installed as an agent hook. */
export function isSluiceAgentHookCommand(command: string): boolean {
  return sluiceAgentHookCommand.test(command);
}

/** A word as POSIX sh reads it literally: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
