/** Most bytes of stdout kept as the `stdout` output; the log keeps all of it. */
export const maxStdoutChars = 16_384;

/**
 * Read a `$SLUICE_OUTPUTS` file, as GitHub reads `$GITHUB_OUTPUT`: lines `name=value`, or a multi-line
 * value as `name<<DELIM`, its lines, then `DELIM`. A later line for the same name wins.
 */
export function parseOutputsFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const heredoc = /^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const body: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++) body.push(lines[index] ?? '');
      setOutput(outputs, name, body.join('\n'));
      continue;
    }
    const pair = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/.exec(line);
    if (pair) setOutput(outputs, pair[1] ?? '', pair[2] ?? '');
  }
  return outputs;
}

// Names are checked by the pattern above; `__proto__` would replace the prototype of a plain object.
function setOutput(outputs: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') return;
  outputs[name] = value;
}

/** The end of stdout that fits `maxStdoutChars`, trailing newline dropped. */
export function keptStdout(stdout: string): string {
  const trimmed = stdout.replace(/\n$/, '');
  return trimmed.length > maxStdoutChars ? trimmed.slice(-maxStdoutChars) : trimmed;
}
