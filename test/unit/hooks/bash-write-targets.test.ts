import { describe, expect, it } from 'vitest';
import { bashWriteTargets, shellWords, shellWrites } from '../../../src/hooks/bash-write-targets.ts';
import { codeWriteTargets } from '../../../src/hooks/interpreter-write-targets.ts';

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

describe('bashWriteTargets sees the write however it is spelled', () => {
  const protectedWrites: [string, string][] = [
    // Redirections with no space, other descriptors, clobber and both streams.
    ['echo x>sluice.yaml', 'sluice.yaml'],
    ['echo x>>sluice.yaml', 'sluice.yaml'],
    ['echo x 1>sluice.yaml', 'sluice.yaml'],
    ['echo x 1>>sluice.yaml', 'sluice.yaml'],
    ['echo x>|sluice.yaml', 'sluice.yaml'],
    ['echo x &>sluice.yaml', 'sluice.yaml'],
    ['echo x&>>sluice.yaml', 'sluice.yaml'],
    ['echo x 2>&1 >sluice.yaml', 'sluice.yaml'],
    ['echo x >&sluice.yaml', 'sluice.yaml'],
    ['echo x>"sluice.yaml"', 'sluice.yaml'],
    ["echo x>'sluice'.yaml", 'sluice.yaml'],
    ['echo x>slu\\ice.yaml', 'sluice.yaml'],
    ['(echo x)>sluice.yaml', 'sluice.yaml'],
    ['{ echo x; }>sluice.yaml', 'sluice.yaml'],
    ['true;echo x>sluice.yaml', 'sluice.yaml'],
    ['if true; then echo x > sluice.yaml; fi', 'sluice.yaml'],
    ['>sluice.yaml', 'sluice.yaml'],
    ['cat <<EOF >sluice.yaml\ngates: {}\nEOF', 'sluice.yaml'],
    // File utilities.
    ['printf x|tee -a sluice.yaml', 'sluice.yaml'],
    ['cp /tmp/x sluice.yaml', 'sluice.yaml'],
    ['cp -f /tmp/x ./sluice.yaml', './sluice.yaml'],
    ['mv /tmp/x sluice.yaml', 'sluice.yaml'],
    ['mv test/add.test.js /tmp/', 'test/add.test.js'],
    ['rm -f sluice.yaml', 'sluice.yaml'],
    ['unlink sluice.yaml', 'sluice.yaml'],
    ["sed -i 's/a/b/' sluice.yaml", 'sluice.yaml'],
    ["sed -i'' -e 's/a/b/' sluice.yaml", 'sluice.yaml'],
    ["sed --in-place 's/a/b/' sluice.yaml", 'sluice.yaml'],
    ["sed -Ei 's/a/b/' sluice.yaml", 'sluice.yaml'],
    ['truncate -s 0 sluice.yaml', 'sluice.yaml'],
    ['truncate --size=0 sluice.yaml', 'sluice.yaml'],
    ['dd if=/dev/null of=sluice.yaml', 'sluice.yaml'],
    ['install -m 644 /tmp/x sluice.yaml', 'sluice.yaml'],
    ['ln sluice.yaml /tmp/hard', 'sluice.yaml'],
    ['ln -f /tmp/x sluice.yaml', 'sluice.yaml'],
    ['shred -u sluice.yaml', 'sluice.yaml'],
    ['sudo -- rm sluice.yaml', 'sluice.yaml'],
    ['env -i rm sluice.yaml', 'sluice.yaml'],
    ['/bin/rm sluice.yaml', 'sluice.yaml'],
    // Through variables assigned in the same command.
    ['f=sluice.yaml; echo x > $f', 'sluice.yaml'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
    ['f=sluice.yaml; echo x > "${f}"', 'sluice.yaml'],
    ['f=sluice.yaml && rm "$f"', 'sluice.yaml'],
    ['export F=sluice.yaml; cp /tmp/x $F', 'sluice.yaml'],
    ['d=test; n=add; sed -i s/a/b/ "$d/$n.test.js"', 'test/add.test.js'],
    ['f=sluice; echo x>$f.yaml', 'sluice.yaml'],
    ['for f in src/a.js sluice.yaml; do : > "$f"; done', 'sluice.yaml'],
    ['echo x > $PWD/sluice.yaml', './sluice.yaml'],
    // After a cd.
    ["cd test && sed -i 's/5/6/' add.test.js", 'test/add.test.js'],
    ['cd test; cd ..; echo x > sluice.yaml', 'sluice.yaml'],
    // Nested shells and substitutions.
    ["bash -c 'echo x > sluice.yaml'", 'sluice.yaml'],
    ['sh -c "rm -f test/add.test.js"', 'test/add.test.js'],
    ['eval "echo x > sluice.yaml"', 'sluice.yaml'],
    ['echo $(rm sluice.yaml)', 'sluice.yaml'],
    ['x=`rm sluice.yaml`', 'sluice.yaml'],
    ['bash <<EOF\nrm sluice.yaml\nEOF', 'sluice.yaml'],
    // Interpreter one-liners.
    [`python -c "open('sluice.yaml','w').write('x')"`, 'sluice.yaml'],
    [`python3 -c "open('sluice.yaml', mode='a').write('x')"`, 'sluice.yaml'],
    [`python3 -c "p='test/add.test.js'; open(p, 'w').write('')"`, 'test/add.test.js'],
    [`python3 -c "import os; os.remove(os.path.join('test', 'add.test.js'))"`, 'test/add.test.js'],
    [`python3 -c "import shutil; shutil.copy('/tmp/x', 'sluice.yaml')"`, 'sluice.yaml'],
    [`python3 -c "import os; os.rename('sluice.yaml', 'old.yaml')"`, 'sluice.yaml'],
    [`python3 -c "from pathlib import Path; Path('sluice.yaml').write_text('x')"`, 'sluice.yaml'],
    [
      `python3 -c "from pathlib import Path; p = Path('test') / 'x'; q = Path('sluice.yaml'); q.unlink()"`,
      'sluice.yaml',
    ],
    ["python3 - <<'EOF'\nopen('sluice.yaml', 'w').write('x')\nEOF", 'sluice.yaml'],
    ["python3 <<< \"open('sluice.yaml', 'w')\"", 'sluice.yaml'],
    [`node -e "fs.writeFileSync('test/x.test.js','')"`, 'test/x.test.js'],
    [`node -e "require('fs').writeFileSync('test/add.test.js', '')"`, 'test/add.test.js'],
    [`node -e "require('node:fs').promises.writeFile('sluice.yaml', 'x')"`, 'sluice.yaml'],
    [`node --eval "const f = 'sluice' + '.yaml'; require('fs').appendFileSync(f, 'x')"`, 'sluice.yaml'],
    [`node -e "require('fs').rmSync('test/add.test.js')"`, 'test/add.test.js'],
    [`node -e "require('fs').copyFileSync('/tmp/x', 'sluice.yaml')"`, 'sluice.yaml'],
    [`node -e "require('fs').renameSync('test/add.test.js', 'x')"`, 'test/add.test.js'],
    ["node -e \"require('fs').openSync('sluice.yaml', 'w')\"", 'sluice.yaml'],
    ["perl -pi -e 's/5/6/' test/add.test.js", 'test/add.test.js'],
    ["perl -0pi -e 's/5/6/' test/add.test.js", 'test/add.test.js'],
    ["perl -i -pe 's/5/6/' test/add.test.js", 'test/add.test.js'],
    [`perl -e 'open(my $f, ">", "sluice.yaml"); print $f "x"'`, 'sluice.yaml'],
    [`perl -e 'open F, ">sluice.yaml"; print F "x"'`, 'sluice.yaml'],
    [`perl -e 'unlink "sluice.yaml"'`, 'sluice.yaml'],
    [`ruby -e 'File.write("sluice.yaml", "x")'`, 'sluice.yaml'],
    [`ruby -e 'File.open("sluice.yaml", "w") { |f| f.puts 1 }'`, 'sluice.yaml'],
    [`php -r 'unlink("sluice.yaml");'`, 'sluice.yaml'],
    // Git commands that rewrite named files.
    ['git checkout -- sluice.yaml', 'sluice.yaml'],
    ['git checkout HEAD~1 -- test/add.test.js', 'test/add.test.js'],
    ['git checkout HEAD~1 test/add.test.js', 'test/add.test.js'],
    ['git restore test/add.test.js', 'test/add.test.js'],
    ['git restore --source=HEAD~2 --worktree test/add.test.js', 'test/add.test.js'],
    ['git -C . restore -s HEAD~2 test/add.test.js', 'test/add.test.js'],
    ['git stash push -- test/add.test.js', 'test/add.test.js'],
    ['git rm -q test/add.test.js', 'test/add.test.js'],
  ];

  it.each(protectedWrites)('%j writes %j', (command, target) => {
    expect(bashWriteTargets(command)).toContain(target);
  });

  it.each([
    'cat sluice.yaml',
    'cat sluice.yaml > /tmp/copy.yaml',
    'less sluice.yaml; head -5 test/add.test.js',
    'grep -rn expect test/ > /tmp/matches.txt',
    'grep -c ">" sluice.yaml',
    'echo "x > sluice.yaml"',
    "echo 'rm sluice.yaml'",
    'echo sluice.yaml',
    'diff sluice.yaml /tmp/other.yaml',
    'cp sluice.yaml /tmp/backup.yaml',
    'ln -s sluice.yaml /tmp/link',
    'wc -l test/*.test.js 2>/dev/null',
    'node --test test/add.test.js 2>&1 | tee /tmp/log',
    'f=sluice.yaml; cat "$f"',
    "f='$g'; echo x > /tmp/out",
    'cat > notes.md <<EOF\nrm sluice.yaml\necho x > test/add.test.js\nEOF',
    'git diff HEAD -- sluice.yaml',
    'git log -p test/add.test.js',
    'git restore --staged test/add.test.js',
    'git show HEAD:sluice.yaml > /tmp/old.yaml',
    'git reset HEAD~1 -- test/add.test.js',
    `python3 -c "print(open('sluice.yaml').read())"`,
    `python3 -c "import yaml; yaml.safe_load(open('sluice.yaml', 'r'))"`,
    `python3 -c "import sys; sys.stdout.write(open('sluice.yaml').read())"`,
    `python3 -c "d = open('sluice.yaml').read(); open('/tmp/out', 'w').write(d)"`,
    `python3 -c "items = ['sluice.yaml']; items.remove('sluice.yaml')"`,
    `node -e "console.log(require('fs').readFileSync('test/add.test.js', 'utf8'))"`,
    `node -e "const s = 'sluice.yaml'.replace('a', 'b'); console.log(s)"`,
    `perl -ne 'print if /expect/' test/add.test.js`,
    `perl -e 'open(my $f, "<", "sluice.yaml"); print <$f>'`,
    "sed -n 's/a/b/p' sluice.yaml",
  ])('finds no protected write in %j', (command) => {
    const written = bashWriteTargets(command).filter((path) => /sluice\.yaml$|test\/add\.test\.js$/.test(path));
    expect(written).toEqual([]);
  });

  it('puts git commands that rewrite whole trees aside for the repository to list', () => {
    expect(shellWrites('git stash').trees).toEqual([{ from: 'HEAD' }]);
    expect(shellWrites('git stash -u').trees).toEqual([{ from: 'HEAD' }]);
    expect(shellWrites('git stash pop').trees).toEqual([{ from: 'stash@{0}^1', to: 'stash@{0}' }]);
    expect(shellWrites('git stash apply stash@{2}').trees).toEqual([{ from: 'stash@{2}^1', to: 'stash@{2}' }]);
    expect(shellWrites('git reset --hard').trees).toEqual([{ from: 'HEAD' }]);
    expect(shellWrites('git reset --hard HEAD~3').trees).toEqual([{ from: 'HEAD~3' }]);
    expect(shellWrites('git checkout main').trees).toEqual([{ from: 'main' }]);
    expect(shellWrites('git switch -c new old').trees).toEqual([{ from: 'old' }]);
    expect(shellWrites('git cherry-pick abc123').trees).toEqual([{ from: 'abc123^', to: 'abc123' }]);
    expect(shellWrites('git reset --soft HEAD~1').trees).toEqual([]);
    expect(shellWrites('git stash list').trees).toEqual([]);
  });

  it('keeps where cp and mv put files apart, for the caller to look for a folder', () => {
    expect(shellWrites('mv src/a.js src/lib').copies).toEqual([{ destination: 'src/lib', sources: ['src/a.js'] }]);
    expect(shellWrites('cp -t test a.js b.js').copies).toEqual([{ destination: 'test/', sources: ['a.js', 'b.js'] }]);
    expect(shellWrites('cd test; cp /tmp/x add.test.js').copies).toEqual([
      { destination: 'test/add.test.js', sources: ['/tmp/x'] },
    ]);
  });
});

describe('codeWriteTargets', () => {
  it('names literal, variable, concatenated and joined paths of writing calls only', () => {
    expect(codeWriteTargets(`with open("a.txt", "w") as f: f.write(open("b.txt").read())`)).toEqual(['a.txt']);
    expect(codeWriteTargets(`const p = require('path'); fs.writeFileSync(p.join('t', 'x'), '')`)).toEqual([]);
    expect(codeWriteTargets(`fs.writeFileSync(path.join('t', 'x.js'), '')`)).toEqual(['t/x.js']);
    expect(codeWriteTargets(`open(sys.argv[1], 'w')`)).toEqual([]);
  });
});

describe('shellWords', () => {
  it('groups quotes and escapes like sh, without expanding', () => {
    expect(shellWords(`a "b c" 'd $e' f\\ g`)).toEqual(['a', 'b c', 'd $e', 'f g']);
    expect(shellWords(`x ""`)).toEqual(['x', '']);
  });
});
