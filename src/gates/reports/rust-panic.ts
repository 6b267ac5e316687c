// Rust's panic output (1.73 and later):
//   thread 'tests::it_works' (4687) panicked at src/lib.rs:12:9:
//   assertion `left == right` failed
//     left: 5
//    right: 4
//   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

/** The line that opens a panic; it only repeats the thread (for cargo test, the test's) name and the place. */
export const rustPanicLine = /^\s*thread '[^']*'(?: \(\d+\))? panicked at (\S+?):(\d+):(\d+):$/;
/** The lines after a panic's message: the backtrace and the hints about it. */
export const rustPanicTrailer =
  /^\s*(?:stack backtrace:$|note: (?:run with `RUST_BACKTRACE|Some details are omitted|panic did not include))/;

const assertionLine = /^\s*assertion `left [!=]= right` failed\b/;
const leftLine = /^\s*left: (.*\S)\s*$/;
const rightLine = /^\s*right: (.*\S)\s*$/;

interface RustSides {
  left: string;
  right: string;
  /** Index of the `left:` line; `right:` is the next one. */
  leftIndex: number;
}

/** The two values of a failed assert_eq!/assert_ne!: the `left:` and `right:` lines below its assertion line. */
export function rustAssertionSides(lines: string[]): RustSides | undefined {
  const assertion = lines.findIndex((line) => assertionLine.test(line));
  if (assertion < 0) return undefined;
  // A custom message ("assertion `left == right` failed: why") may take a few lines before the values.
  for (let index = assertion + 1; index < lines.length - 1; index++) {
    if (rustPanicTrailer.test(lines[index] ?? '')) return undefined;
    const left = leftLine.exec(lines[index] ?? '')?.[1];
    const right = rightLine.exec(lines[index + 1] ?? '')?.[1];
    if (left !== undefined && right !== undefined) return { left, right, leftIndex: index };
  }
  return undefined;
}

/**
 * The lines with a failed assertion's two value lines joined into one, "left: 5, right: 4", so that a short message
 * keeps both: which side is the expected one is a convention of the test, not of Rust.
 */
export function joinRustSides(lines: string[]): string[] {
  const sides = rustAssertionSides(lines);
  if (!sides) return lines;
  const joined = `left: ${sides.left}, right: ${sides.right}`;
  return [...lines.slice(0, sides.leftIndex), joined, ...lines.slice(sides.leftIndex + 2)];
}
