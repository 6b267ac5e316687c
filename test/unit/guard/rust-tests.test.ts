import { describe, expect, it } from 'vitest';
import { declaredModules, moduleFiles, testFunctionCount } from '../../../src/guard/rust/module-declarations.ts';
import { parseRustTests } from '../../../src/guard/rust/parse-tests.ts';
import { isRustTestFile } from '../../../src/guard/rust/test-files.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';
import { testLanguageOf } from '../../../src/guard/tests/test-languages.ts';

const parseRust = (source: string) => parseRustTests('tests/calc.rs', source);
const titlesOf = (tests: TestCase[]) => tests.map((test) => test.titles.join(' > '));
const markersOf = (test: TestCase | undefined) =>
  test?.markers.map(({ kind, text, line }) => `${kind} ${text} @${line}`);
const assertionsOf = (test: TestCase | undefined) => test?.assertions.map((assertion) => assertion.key);
const only = (source: string): TestCase => {
  const [test, ...rest] = parseRust(source);
  if (!test || rest.length > 0) throw new Error(`expected one test, got ${rest.length + (test ? 1 : 0)}`);
  return test;
};

describe('isRustTestFile', () => {
  it.each([
    'tests/calc.rs',
    'tests/common/mod.rs',
    'crates/calc/tests/it/main.rs',
    'src/calc_test.rs',
    'src/calc_tests.rs',
    'src/calc/tests.rs',
  ])('takes %s', (path) => {
    expect(isRustTestFile(path)).toBe(true);
    expect(testLanguageOf(path)?.name).toBe('rust');
  });

  it.each(['src/lib.rs', 'src/contest.rs', 'src/tests_util/x.ts', 'benches/calc.rs', 'tests/calc.rs.orig'])(
    'leaves %s',
    (path) => expect(isRustTestFile(path)).toBe(false),
  );
});

describe('parseRustTests titles', () => {
  it('finds functions under a test attribute, titled by their modules, past doc comments', () => {
    const tests = parseRust(`use calc::add;

fn helper() -> i32 { 1 }

#[test]
fn adds() {}

#[cfg(test)]
mod unit {
    /// Checks async code.
    #[tokio::test]
    async fn fetches() {}

    mod cases {
        #[rstest]
        #[case(1)]
        fn cased(#[case] n: i32) {}

        #[test_case(1, 2 ; "small")]
        fn listed(a: i32, b: i32) {}

        #[derive(Debug)]
        struct NotATest;

        fn not_a_test() {}
    }
}
`);
    expect(titlesOf(tests)).toEqual(['adds', 'unit > fetches', 'unit > cases > cased', 'unit > cases > listed']);
    expect(tests.map((test) => test.line)).toEqual([6, 12, 17, 20]);
  });

  it('reads what it can of a file that does not parse', () => {
    const tests = parseRust(`#[test]
fn broken() {
    assert_eq!(add(1, 2), 3;
}

#[test]
fn fine() { assert!(true); }
`);
    expect(titlesOf(tests)).toContain('fine');
    for (const garbage of ['', '}}} fn func {{ #[test]', '\u0000\uFFFF']) expect(parseRust(garbage)).toEqual([]);
    expect(assertionsOf(tests.find((test) => test.titles[0] === 'fine'))).toEqual(['assert ! ( true )']);
  });
});

describe('parseRustTests markers', () => {
  it('notes #[ignore], #[ignore = reason], a conditional ignore, and #[should_panic] as xfail', () => {
    const tests = parseRust(`#[test]
#[ignore]
fn a() {}

#[ignore = "slow"]
#[test]
fn b() {}

#[test]
#[cfg_attr(miri, ignore)]
fn c() {}

#[test]
#[should_panic(expected = "overflow")]
fn d() {}

#[test]
#[cfg_attr(feature = "x", derive(Debug))]
fn e() {}
`);
    expect(tests.map(markersOf)).toEqual([
      ['skip #[ignore] @2'],
      ['skip #[ignore = "slow"] @5'],
      ['skip #[cfg_attr(miri, ignore)] @10'],
      ['xfail #[should_panic(expected = "overflow")] @14'],
      [],
    ]);
  });
});

describe('parseRustTests assertions', () => {
  it('takes the assert family of macros, not panics or unwraps', () => {
    const test = only(`#[test]
fn adds() {
    assert_eq!(add(1, 2), 3, "sum");
    assert!(add(1, 1) == 2);
    debug_assert_ne!(add(0, 1), 0);
    pretty_assertions::assert_eq!(add(2, 2), 4);
    insta::assert_snapshot!(render());
    let ok = matches!(add(1, 1), 2);
    add(1, 2).checked_add(1).unwrap();
    if ok { panic!("no") }
    println!("done");
}
`);
    expect(assertionsOf(test)).toEqual([
      'assert_eq ! ( add ( 1 2 ) 3 )',
      'assert ! ( add ( 1 1 ) == 2 )',
      'debug_assert_ne ! ( add ( 0 1 ) 0 )',
      'pretty_assertions :: assert_eq ! ( add ( 2 2 ) 4 )',
      'insta :: assert_snapshot ! ( render ( ) )',
    ]);
    expect(test.assertions.map((assertion) => assertion.line)).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('parseRustTests body', () => {
  const tidy = `#[rstest]
#[case(1, 2, 3)]
fn adds(#[case] a: i32, #[case] b: i32, #[case] want: i32) {
    let got = add(a, b);
    assert_eq!(got, want, "adding {} and {}", a, b);
}
`;

  it('keeps the key through rustfmt-style reformatting, comments and a new marker', () => {
    const messy = `/// Adds.
#[rstest]
#[case(1, 2, 3,)] // the one case
#[ignore]
fn adds(#[case] a: i32, #[case] b: i32, #[case] want: i32) { let got = add(a, b);
    /* check */ assert_eq!(
        got,
        want,
        "adding {} and {}",
        a,
        b,
    ); }
`;
    expect(only(messy).body.key).toBe(only(tidy).body.key);
    expect(assertionsOf(only(messy))).toEqual(assertionsOf(only(tidy)));
  });

  it('keeps the skeleton but not the key when only a value changes in a case row', () => {
    const original = only(tidy);
    const changed = only(tidy.replace('case(1, 2, 3)', 'case(1, 2, 4)'));
    expect(changed.body.key).not.toBe(original.body.key);
    expect(changed.body.skeleton).toBe(original.body.skeleton);
    expect(original.body.literals).toEqual(['1', '2', '3']);
  });

  it('changes the key when the code changes', () => {
    expect(only(tidy.replace('add(a, b)', 'add(b, a)')).body.key).not.toBe(only(tidy).body.key);
  });
});

describe('rust markers are attribute names, never inherited object keys', () => {
  it('does not read #[constructor] or #[toString] as a marker', () => {
    const tests = parseRustTests(
      'tests/a.rs',
      '#[test]\n#[constructor]\nfn a() { assert!(true); }\n#[test]\n#[toString]\nfn b() { assert!(true); }\n',
    );
    expect(tests.flatMap((test) => test.markers)).toEqual([]);
  });
});

describe('Rust module declarations', () => {
  it('reads the out-of-line modules cargo test compiles, and where their files are', () => {
    const source = [
      'mod plain;',
      '#[cfg(test)]',
      'mod tests;',
      '#[cfg(any())]',
      'mod never;',
      '#[cfg(feature = "slow")]',
      'pub(crate) mod slow;',
      'pub mod inline { }',
    ].join('\n');
    expect([...declaredModules(source)]).toEqual(['plain', 'tests']);
    expect(moduleFiles('src/lib.rs', 'tests')).toEqual(['src/tests.rs', 'src/tests/mod.rs']);
    expect(moduleFiles('src/shop.rs', 'tests')).toEqual(['src/shop/tests.rs', 'src/shop/tests/mod.rs']);
    expect(testFunctionCount('#[test]\nfn a() {}\n#[tokio::test]\nasync fn b() {}\n#[rstest]\nfn c() {}\n')).toBe(3);
  });
});
