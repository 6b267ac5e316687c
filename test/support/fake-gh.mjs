#!/usr/bin/env node
// A fake `gh` for tests: pull requests of a bare git remote, kept in the JSON file $FAKE_GH_STATE.
// Mergeability is computed from the remote itself (behind / conflicting), like GitHub does; checks and
// review comments follow the script in the state file, by how many times `gh pr view` was asked.
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const statePath = process.env.FAKE_GH_STATE;
if (!statePath) fail('FAKE_GH_STATE is not set');
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const args = process.argv.slice(2);
state.calls.push(args.join(' '));

function save() {
  // Atomically: the test reads the file while gh runs.
  writeFileSync(`${statePath}.${process.pid}`, JSON.stringify(state, null, 2));
  renameSync(`${statePath}.${process.pid}`, statePath);
}
function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  if (state) save();
  process.exit(code);
}
function option(name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}
function remoteGit(...gitArgs) {
  return spawnSync('git', ['-C', state.remote, ...gitArgs], { encoding: 'utf8' });
}
function find(selector) {
  return state.prs.find((pr) => String(pr.number) === selector || pr.head === selector);
}
function mergeability(pr) {
  const behind =
    remoteGit('merge-base', '--is-ancestor', `refs/heads/${pr.base}`, `refs/heads/${pr.head}`).status !== 0;
  if (!behind) return { mergeable: 'MERGEABLE', mergeStateStatus: 'CLEAN' };
  const merged = remoteGit('merge-tree', '--write-tree', `refs/heads/${pr.base}`, `refs/heads/${pr.head}`);
  if (merged.status !== 0) return { mergeable: 'CONFLICTING', mergeStateStatus: 'DIRTY' };
  return { mergeable: 'MERGEABLE', mergeStateStatus: 'BEHIND' };
}
const [group, verb] = args;
if (group === 'pr' && verb === 'create') {
  const head = option('--head');
  const base = option('--base');
  if (remoteGit('rev-parse', '--verify', '--quiet', `refs/heads/${head}`).status !== 0) {
    fail(`pull request create failed: head branch ${head} is not on the remote`);
  }
  if (find(head)) fail(`a pull request for branch "${head}" into branch "${base}" already exists`);
  const number = state.prs.length + 1;
  state.prs.push({ number, head, base, title: option('--title'), body: option('--body') ?? '', state: 'OPEN' });
  save();
  console.log(`https://github.invalid/acme/repo/pull/${number}`);
} else if (group === 'pr' && verb === 'view') {
  const pr = find(args[2]);
  if (!pr) fail(`no pull requests found for branch "${args[2]}"`);
  state.polls += 1;
  save();
  console.log(
    JSON.stringify({
      number: pr.number,
      url: `https://github.invalid/acme/repo/pull/${pr.number}`,
      state: pr.state,
      ...mergeability(pr),
      reviewDecision: state.reviewDecision ?? '',
      reviews: state.reviews ?? [],
    }),
  );
} else if (group === 'pr' && verb === 'checks') {
  if (!find(args[2])) fail(`no pull requests found for "${args[2]}"`);
  const script = state.checks;
  if (script.length === 0) fail('no required checks reported on the branch');
  const checks = script[Math.min(Math.max(state.polls, 1), script.length) - 1];
  save();
  console.log(JSON.stringify(checks));
  if (checks.some((check) => check.bucket === 'fail')) process.exit(1);
  if (checks.some((check) => check.bucket === 'pending')) process.exit(8);
} else if (group === 'api') {
  const match = /^repos\/\{owner\}\/\{repo\}\/pulls\/(\d+)\/comments$/.exec(args[1] ?? '');
  if (!match || !find(match[1])) fail(`gh: Not Found (HTTP 404): ${args[1]}`);
  save();
  const visible = state.comments.filter((comment) => comment.after_poll <= state.polls);
  console.log(JSON.stringify(visible.map(({ after_poll, ...comment }) => comment)));
} else {
  fail(`fake gh does not know: gh ${args.join(' ')}`);
}
