import { describe, expect, it } from 'vitest';
import {
  chooseLocation,
  extractExpectedReceived,
  findLocations,
  isSameFile,
  summarizeMessage,
} from '../../../src/gates/reports/failure-text.ts';

describe('summarizeMessage', () => {
  it('keeps the first lines before the stack, without colours or blank lines', () => {
    const text = '\u001b[31mTypeError: x is undefined\u001b[39m\n\n    at f (/a/b.js:1:2)\n    at g (/a/c.js:3:4)';

    expect(summarizeMessage(text)).toBe('TypeError: x is undefined');
  });

  it('prefers the changed lines of a diff to its context', () => {
    const text =
      'Expected values to be strictly deep-equal:\n+ actual - expected\n\n  {\n    a: 1,\n+   b: 2,\n-   b: 3\n  }';

    expect(summarizeMessage(text)).toBe('Expected values to be strictly deep-equal:\n+   b: 2,\n-   b: 3');
  });

  it('leaves out code frames and caps the number of lines', () => {
    const text = 'Error: one\n> 4 |   expect(5).toBe(4);\n    |             ^\ntwo\nthree\nfour';

    expect(summarizeMessage(text)).toBe('Error: one\ntwo\nthree');
    expect(summarizeMessage(text, 1)).toBe('Error: one');
  });
});

describe('summarizeMessage on Rust panics', () => {
  const panic = [
    "thread 'tests::it_works' (4687) panicked at src/lib.rs:12:9:",
    'assertion `left == right` failed',
    '  left: 5',
    ' right: 4',
  ];

  it('leaves out the thread line and the backtrace hint, and keeps both sides of an assertion on one line', () => {
    const text = [...panic, 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'].join('\n');

    expect(summarizeMessage(text)).toBe('assertion `left == right` failed\nleft: 5, right: 4');
  });

  it('stops at the backtrace', () => {
    const text = [
      ...panic,
      'stack backtrace:',
      '   0: __rustc::rust_begin_unwind',
      '             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5',
    ].join('\n');

    expect(summarizeMessage(text)).toBe('assertion `left == right` failed\nleft: 5, right: 4');
  });
});

describe('extractExpectedReceived', () => {
  it.each([
    ['jest', 'expect(received).toBe(expected)\n\nExpected: 4\nReceived: 5', '4', '5'],
    ['chai', 'AssertionError: expected 5 to be 4 // Object.is equality', '4', '5'],
    ['chai deep', 'expected { a: 1 } to deeply equal { a: 2 }', '{ a: 2 }', '{ a: 1 }'],
    ['node assert', 'Expected values to be strictly equal:\n\n5 !== 4\n', '4', '5'],
    ['node inspect', "  actual: 'abc',\n  expected: 'abd',\n  operator: 'strictEqual'", "'abd'", "'abc'"],
    ['JUnit 5', 'expected: <107.0> but was: <100.0>', '107.0', '100.0'],
    ['pytest', 'E       assert 6 == 5', '5', '6'],
    ['go', 'Total() = 5, want 4', '4', '5'],
    ['go got/want', 'got "a", want "b"', '"b"', '"a"'],
    ['testify', '\tError:\tNot equal:\n\t\texpected: 90\n\t\tactual  : 91', '90', '91'],
    ['rust', 'expected `u32`, found `&str`', 'u32', '&str'],
    ['rust assert_eq!', 'assertion `left == right` failed\n  left: 5\n right: 4', '4', '5'],
    ['rust assert_ne!', 'assertion `left != right` failed: must differ\n  left: "a"\n right: "a"', '"a"', '"a"'],
  ])('reads the %s phrasing', (_name, text, expected, received) => {
    expect(extractExpectedReceived(text)).toEqual({ expected, received });
  });

  it('reads both sides of a diff', () => {
    const text =
      'expect(received).toEqual(expected)\n\n- Expected  - 1\n+ Received  + 1\n\n  Object {\n-   "a": 1,\n+   "a": 2,\n  }';

    expect(extractExpectedReceived(text)).toEqual({ expected: '"a": 1,', received: '"a": 2,' });
  });

  it('uses the diff when chai shortened the values', () => {
    const text =
      'expected { a: 1, …(9) } to deeply equal { a: 2, …(9) }\n\n- Expected\n+ Received\n\n-   "a": 2,\n+   "a": 1,';

    expect(extractExpectedReceived(text)).toEqual({ expected: '"a": 2,', received: '"a": 1,' });
  });

  it('finds nothing in a message without values', () => {
    expect(extractExpectedReceived("TypeError: Cannot read properties of undefined (reading 'x')")).toEqual({});
  });
});

describe('findLocations and chooseLocation', () => {
  const stack = [
    'Error: boom',
    '    at helper (file:///home/dev/shop/src/cart.js:5:42)',
    '    at Object.<anonymous> (/home/dev/shop/node_modules/jest-circus/build/utils.js:298:28)',
    '    at node:internal/process/task_queues:95:5',
    '    at /home/dev/shop/test/cart.test.js:19:20',
    '    at new Promise (<anonymous>)',
  ].join('\n');

  it('lists project frames only, with file:// stripped', () => {
    expect(findLocations(stack)).toEqual([
      { file: '/home/dev/shop/src/cart.js', line: 5, column: 42 },
      { file: '/home/dev/shop/test/cart.test.js', line: 19, column: 20 },
    ]);
  });

  it("takes the report's file with the line of the first frame in that file", () => {
    const reported = { file: 'test/cart.test.js', line: 18, column: 3 };

    expect(chooseLocation(reported, stack)).toEqual({
      file: 'test/cart.test.js',
      line: 19,
      column: 20,
      origin: '/home/dev/shop/src/cart.js:5',
    });
  });

  it("keeps the report's own place when no frame is in its file, else takes the first project frame", () => {
    expect(chooseLocation({ file: 'test/other.test.js', line: 2 }, stack)).toEqual({
      file: 'test/other.test.js',
      line: 2,
      origin: '/home/dev/shop/src/cart.js:5',
    });
    expect(chooseLocation(undefined, 'no places here')).toBeUndefined();
    expect(chooseLocation(undefined, stack.replace('/test/cart.test.js', '/lib/run.js'))).toEqual({
      file: '/home/dev/shop/src/cart.js',
      line: 5,
      column: 42,
    });
  });

  it('prefers the test file over the code under test, and says where the error was raised', () => {
    expect(chooseLocation(undefined, stack)).toEqual({
      file: '/home/dev/shop/test/cart.test.js',
      line: 19,
      column: 20,
      origin: '/home/dev/shop/src/cart.js:5',
    });
  });

  it('never names a library as the origin', () => {
    const fromLibrary =
      'Error: x\n    at r (node_modules/jest-resolve/build/resolver.js:427:11)\n    at /a/test/x.test.js:3:1';
    expect(chooseLocation(undefined, fromLibrary)).toEqual({ file: '/a/test/x.test.js', line: 3, column: 1 });
  });

  it("reads the place of a Rust panic and of a SyntaxError under pytest's E lines, and skips Rust's own frames", () => {
    const panic =
      "thread 'tests::sums' (16364) panicked at src/main.rs:14:9:\n" +
      '   0: core::panicking::panic_fmt\n' +
      '             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:80:14\n' +
      '   4: cart::tests::sums\n' +
      '             at ./src/main.rs:14:9';

    expect(findLocations(panic)).toEqual([
      { file: 'src/main.rs', line: 14, column: 9 },
      { file: './src/main.rs', line: 14, column: 9 },
    ]);
    expect(findLocations('E     File "/tmp/pyc/tests/test_syntax.py", line 1')).toEqual([
      { file: '/tmp/pyc/tests/test_syntax.py', line: 1 },
    ]);
  });

  it('matches relative, absolute and bare spellings of a file', () => {
    expect(isSameFile('/home/dev/shop/test/a.ts', 'test/a.ts')).toBe(true);
    expect(isSameFile('a_test.go', '/home/dev/shop/cart/a_test.go')).toBe(true);
    expect(isSameFile('/home/dev/shop/test/a.ts', 'test/ba.ts')).toBe(false);
  });
});
