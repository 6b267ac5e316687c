export interface Paint {
  green(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
}

const codes = { green: [32, 39], red: [31, 39], cyan: [36, 39], dim: [2, 22] } as const;

/** ANSI colours when `enabled`, plain text otherwise. */
export function paint(enabled: boolean): Paint {
  const style =
    (name: keyof typeof codes) =>
    (text: string): string =>
      enabled ? `\x1b[${codes[name][0]}m${text}\x1b[${codes[name][1]}m` : text;
  return { green: style('green'), red: style('red'), cyan: style('cyan'), dim: style('dim') };
}

/** "340ms", "2.1s", "1m 05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
