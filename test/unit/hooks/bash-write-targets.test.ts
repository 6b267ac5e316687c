import { describe, expect, it } from 'vitest';
import { bashWriteTargets, shellWords } from '../../../src/hooks/bash-write-targets.ts';

describe('bashWriteTargets', () => {
  it.each([
    ["sed -i 's/toBe(5)/toBe(6)/' test/add.test.js", ['test/add.test.js']],
    ["sed -i.bak -e 's/a/b/' test/a.test.js test/b.test.js", ['test/a.test.js', 'test/b.test.js']],
    ["perl -pi -e 's/5/6/' test/add.test.js", ['test/add.test.js']],
    ['echo "" > test/add.test.js', ['test/add.test.js']],
    ['cat a >>test/add.test.js', ['test/add.test.js']],
    ['rm -f test/add.test.js && npm test', ['test/add.test.js']],
    ['git rm test/add.test.js', ['test/add.test.js']],
    ['mv test/add.test.js test/add.test.js.off', ['test/add.test.js', 'test/add.test.js.off']],
    ['cp /tmp/empty.js test/add.test.js', ['test/add.test.js']],
    ['printf x | tee sluice.yaml >/dev/null', ['sluice.yaml']],
    ['sudo FOO=1 truncate -s 0 "test/my file.test.js"', ['test/my file.test.js']],
  ])('finds what %j writes', (command, expected) => {
    expect(bashWriteTargets(command)).toEqual(expected);
  });

  it.each([
    'cat test/add.test.js',
    'grep -n expect test/add.test.js > /tmp/matches.txt',
    'npm test 2>&1 | tail -5',
    "sed -n '1,20p' test/add.test.js",
    'node --test test/add.test.js',
    'git diff -- test/add.test.js',
  ])('finds no protected write in the read-only %j', (command) => {
    expect(bashWriteTargets(command).filter((path) => path.startsWith('test/'))).toEqual([]);
  });
});

describe('shellWords', () => {
  it('groups quotes and escapes like sh, without expanding', () => {
    expect(shellWords(`a "b c" 'd $e' f\\ g`)).toEqual(['a', 'b c', 'd $e', 'f g']);
    expect(shellWords(`x ""`)).toEqual(['x', '']);
  });
});
