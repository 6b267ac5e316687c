import { containmentInitMarker } from '../containment.ts';

/**
 * The contained spawner: one long-lived Perl process, process 1 of a PID namespace Sluice starts once
 * (with the same setpriv/unshare prefix as a single contained command), that starts every contained
 * command in a PID namespace of its own nested inside — without exec'ing setpriv, unshare and Perl again
 * for each one, and without Node forking its own big process for each.
 *
 * Requests, one per line on stdin (each field after the id is `x` + hex, so any byte may appear):
 *   run <id> x<mode> x<cwd> x<output path> x<stdin file> x<stdout FIFO> x<hidden dirs> x<argc> x<argv>...
 *       then the command's environment as changes to the spawner's own: x<NAME=value> sets, -<NAME> (hex
 *       too) removes. Stdin file, stdout FIFO and hidden dirs may be empty (x): see "Stdin and stdout" below.
 *       Hidden dirs: the private dir, then the folders this command must not see (a gate in a judge checkout
 *       does not see the agents' worktrees), NUL between them; each gets an empty read-only tmpfs.
 *   term <id>   the command's process group gets SIGTERM
 *   kill <id>   the command's namespace is killed (SIGKILL to its process 1)
 * Replies on stdout, one line each:
 *   started <id> <pid> <start time>   the namespace's process 1 runs, as the machine's /proc shows it
 *   end <id> exit N | signal N | spawn-failed ERRNO | open-failed ERRNO | setup-failed ERRNO | not-started
 *       ERRNO   how the command ended; setup-failed: its stdin, stdout or hidden dir could not be set up
 *       (it never ran); not-started: the spawner could not make its stdout FIFO (nothing was started)
 *   done <id> <status>   the namespace is gone (every process in it has exited); wait status of its process 1
 * `started` and `end` come from the command's init, on a pipe of its own that the spawner relays with the
 * command's id: nothing in one namespace can write a reply for another (as root, a command can open its
 * init's descriptors through /proc/1/fd, which is why the init keeps none of the spawner's).
 *
 * Per request: the spawner unshares a new PID namespace for its next child and forks the command's init
 * (process 1 there), then returns to its own (setns). The init dies with the spawner (parent-death signal),
 * takes a mount namespace of its own with private mounts and a fresh /proc, and runs the command as its
 * child exactly like containment.ts's init: it reaps orphans, reports how the command ended, and in `once`
 * mode exits when the command does, so the kernel kills whatever is left in the namespace; the spawner
 * reaps the init (`done`) only once that namespace is empty. Every nested namespace is part of the
 * spawner's, which dies with Sluice (parent-death signal of the outer unshare), so a kill -9 of Sluice
 * still takes everything down. Its children's ends come through a signalfd, so select() never misses one.
 *
 * Stdin and stdout (an agent's prompt, its streamed events), all in Sluice's private dir (0700, outside
 * anything an agent may write; the `hidden dir`): with a stdin file, the command's stdin is that file
 * (opened O_NOFOLLOW). With a stdout FIFO, the spawner makes the FIFO (mknodat, before it forks the init:
 * `started` means it exists) and the command's stdout is that FIFO, opened O_NOFOLLOW, blocking until
 * Sluice has opened it to read (Sluice does on `started`); its stderr is then the output file opened
 * O_APPEND, as Sluice's copy of stdout into it is. Before the command runs, an empty read-only tmpfs is
 * mounted over the hidden dir in its mount namespace (bwrap's `--ro-bind / /` takes it along): no command
 * can open another's FIFO or stdin file by its path, nor its own again once the command has started.
 *
 * The first line is containment.ts's init marker: every process under the spawner descends from a process
 * whose command line carries it, so the agent guard (socket-peer.ts) recognizes them as contained.
 * Arguments: `spawner` (taken by the marker line), then the numbers spawnerSyscalls lists.
 * fd 3 is the machine's /proc (a directory), from which each init reads its own pid on the machine.
 */
export const spawnerScript = [
  containmentInitMarker,
  'my ($sys_unshare, $sys_mount, $sys_prctl, $sys_setns, $sys_sigmask, $sys_signalfd, $sys_exit, $sys_capget, $sys_capset,',
  '  $sys_mknodat, $o_nofollow) = map { $_ + 0 } @ARGV;',
  '$| = 1;',
  // F_SETFD, FD_CLOEXEC on the machine's /proc: no command may inherit it (each init closes it too).
  "my $hostproc; open($hostproc, '<&=', 3) and fcntl($hostproc, 2, 1);",
  // To go back to our own PID namespace for children after creating one for a command.
  "open(my $own_pids, '<', '/proc/self/ns/pid') or exit 1;",
  // SIGCHLD blocked and read from a signalfd: select() on it cannot miss a child's end. The mask is a
  // 64-bit sigset with SIGCHLD (17 on x86-64 and arm64); SFD_NONBLOCK | SFD_CLOEXEC.
  'my $chld_mask = pack("Q", 1 << 16);',
  'syscall($sys_sigmask, 0, $chld_mask, 0, 8) == 0 or exit 1;',
  'my $signalfd = syscall($sys_signalfd, -1, $chld_mask, 8, 0x80800);',
  'exit 1 if $signalfd < 0;',
  "open(my $chld, '<&=', $signalfd) or exit 1;",
  // A handler, not IGNORE (an ignored signal would stay ignored in the command): inherited by each init,
  // so a SIGTERM asked for at once is not lost; kept until the command exists, then passed on.
  'my ($target, $pending_term);',
  "$SIG{USR1} = sub { if ($target) { kill 'TERM', $target } else { $pending_term = 1 } };",
  // Per command: its init's pid, and the pipe on which the init (only it) reports; relayed with the
  // command's id, so no process of one command can speak for another.
  'my (%init, %id_of, %report_of, %partial);',
  "my $buffer = '';",
  'while (1) {',
  "  my $want = ''; vec($want, 0, 1) = 1; vec($want, $signalfd, 1) = 1;",
  '  vec($want, fileno($_), 1) = 1 for values %report_of;',
  '  my $ready = select(my $got = $want, undef, undef, undef);',
  '  next unless $ready > 0;',
  '  for my $id (keys %report_of) { relay($id) if vec($got, fileno($report_of{$id}), 1) }',
  '  if (vec($got, $signalfd, 1)) {',
  '    sysread($chld, my $info, 4096);',
  '    while ((my $pid = waitpid(-1, 1)) > 0) {',
  '      my $id = delete $id_of{$pid}; next unless defined $id;',
  // Its namespace is gone, every writer of its pipe with it: the report is all there.
  '      1 while relay($id); forget($id);',
  '      delete $init{$id}; print "done $id $?\\n" } }',
  '  next unless vec($got, 0, 1);',
  '  my $read = sysread(STDIN, $buffer, 65536, length $buffer);',
  '  if (!defined $read) { next if $! + 0 == 4; exit 1 }',
  '  exit 0 if $read == 0;',
  '  while ((my $end = index($buffer, "\\n")) >= 0) {',
  '    my $line = substr($buffer, 0, $end); substr($buffer, 0, $end + 1) = "";',
  '    my ($kind, $id, $rest) = split / /, $line, 3;',
  "    if ($kind eq 'run') {",
  '      my ($reader, $writer);',
  '      my $failed = sub { print "end $id $_[0] " . ($! + 0) . "\\ndone $id 0\\n" };',
  '      my @env = split / /, $rest;',
  '      my @head = map { pack("H*", substr($_, 1)) } splice(@env, 0, 7);',
  '      my @argv = map { pack("H*", substr($_, 1)) } splice(@env, 0, $head[6]);',
  // The stdout FIFO (S_IFIFO | 0600, relative to AT_FDCWD; the path must be a variable, as below).
  '      my $fifo = $head[4];',
  "      if ($fifo ne '' && syscall($sys_mknodat, -100, $fifo, 4480, 0) != 0) { $failed->('not-started'); next }",
  "      if (!pipe($reader, $writer)) { $failed->('spawn-failed'); next }",
  // F_SETFL, O_NONBLOCK: reading what an ended init wrote must never wait on a writer that got away.
  '      fcntl($reader, 4, 0x800);',
  '      $pending_term = 0;',
  // The next child is process 1 of a new PID namespace; then children are ours again.
  "      if (syscall($sys_unshare, 0x20000000) != 0) { $failed->('spawn-failed'); close($reader); close($writer); next }",
  '      my $pid = fork();',
  '      if (defined $pid && $pid == 0) { close($reader); init($writer, \\@head, \\@argv, \\@env) }',
  '      close($writer);',
  '      syscall($sys_setns, fileno($own_pids), 0x20000000) == 0 or exit 1;',
  "      if (!defined $pid) { $failed->('spawn-failed'); close($reader); next }",
  '      $init{$id} = $pid; $id_of{$pid} = $id; $report_of{$id} = $reader; $partial{$id} = "" }',
  "    elsif ($kind eq 'term') { kill 'USR1', $init{$id} if $init{$id} }",
  "    elsif ($kind eq 'kill') { kill 'KILL', $init{$id} if $init{$id} } } }",
  '',
  // One read of a command's report pipe, its whole lines passed on with its id; true while it yields.
  'sub relay {',
  '  my ($id) = @_;',
  '  my $fh = $report_of{$id} or return 0;',
  '  my $read = sysread($fh, $partial{$id}, 4096, length $partial{$id});',
  '  while ((my $end = index($partial{$id}, "\\n")) >= 0) {',
  '    my ($kind, $text) = split / /, substr($partial{$id}, 0, $end), 2; substr($partial{$id}, 0, $end + 1) = "";',
  "    print \"$kind $id $text\\n\" if $kind eq 'started' || $kind eq 'end' }",
  '  return 1 if $read;',
  '  forget($id) if defined $read;',
  '  return 0 }',
  '',
  'sub forget { my ($id) = @_; close($report_of{$id}) if $report_of{$id}; delete $report_of{$id}; delete $partial{$id} }',
  '',
  'sub init {',
  '  my ($report, $head, $argv_of, $env_of) = @_;',
  '  syscall($sys_sigmask, 1, $chld_mask, 0, 8);',
  '  close($chld); close($own_pids);',
  // Nothing of the spawner's stays reachable from the namespace (as root, a command could open the init's
  // descriptors through /proc/1/fd): not its requests, not its replies, not the other commands' pipes.
  "  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null');",
  '  close($_) for values %report_of;',
  '  select((select($report), $| = 1)[0]);',
  // PR_SET_PDEATHSIG, SIGKILL: the namespace dies with the spawner.
  '  syscall($sys_prctl, 1, 9, 0, 0, 0);',
  '  setpgrp(0, 0);',
  // Our pid and start time as the machine's /proc shows them (a recorded group is checked by both).
  '  my $machine_pid = readlink("/proc/self/fd/3/self") // 0;',
  "  my $start_time = '-';",
  '  if (open(my $stat, "<", "/proc/self/fd/3/$machine_pid/stat")) {',
  '    my $text = <$stat> // ""; close($stat); $start_time = (split / /, substr($text, rindex($text, ")") + 2))[19] // "-" }',
  '  close($hostproc);',
  '  my $fail = sub { print $report "end spawn-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) };',
  // A mount namespace of our own (CLONE_NEWNS) with private mounts (MS_REC | MS_PRIVATE) and a fresh /proc
  // (MS_NOSUID | MS_NODEV | MS_NOEXEC), as unshare --mount-proc does. syscall() hands strings over as
  // writable buffers: they must be variables, not literals.
  "  my ($root, $proc, $at) = ('/', 'proc', '/proc');",
  '  syscall($sys_unshare, 0x20000) == 0 or $fail->();',
  '  syscall($sys_mount, 0, $root, 0, 16384 | 262144, 0) == 0 or $fail->();',
  '  syscall($sys_mount, $proc, $at, $proc, 14, 0) == 0 or $fail->();',
  '  my ($mode, $cwd, $output, $stdin, $stdout, $hide) = @$head;',
  '  my @argv = @$argv_of; my @env = @$env_of;',
  '  print $report "started $machine_pid $start_time\\n";',
  '  my $child = fork();',
  '  if (!defined $child) { print $report "end spawn-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) }',
  '  if ($child == 0) {',
  '    setpgrp(0, 0);',
  '    my $setup_failed = sub { print $report "end setup-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) };',
  '    my $open_failed = sub { print $report "end open-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) };',
  // O_RDONLY; O_WRONLY (blocks until Sluice reads); O_WRONLY | O_CREAT | O_APPEND.
  "    if ($stdin ne '') { sysopen(STDIN, $stdin, $o_nofollow) or $setup_failed->() }",
  "    if ($stdout ne '') { sysopen(STDOUT, $stdout, 1 | $o_nofollow) or $setup_failed->();",
  '      sysopen(STDERR, $output, 1 | 0x40 | 0x400) or $open_failed->() }',
  "    else { open(STDOUT, '>', $output) or $open_failed->(); open(STDERR, '>&', \\*STDOUT) }",
  // An empty tmpfs over the private dir and every other folder the request hides (NUL between them), read-only
  // (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC). One gone since it was named has nothing left to hide.
  "    my $tmpfs = 'tmpfs';",
  '    for my $dir (split /\\0/, $hide) { next unless -d $dir;',
  '      syscall($sys_mount, $tmpfs, $dir, $tmpfs, 15, 0) == 0 or $setup_failed->() }',
  '    chdir($cwd) or do { print $report "end spawn-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) };',
  // The spawner's environment (Sluice's when it started the spawner), changed as the request says.
  '    for (@env) { my $text = pack("H*", substr($_, 1));',
  "      if (substr($_, 0, 1) eq '-') { delete $ENV{$text} } else { my ($name, $value) = split /=/, $text, 2; $ENV{$name} = $value // '' } }",
  // Capabilities kept for the spawner (unshare --keep-caps: ambient and inheritable) are not the command's:
  // PR_CAP_AMBIENT_CLEAR_ALL, then capget/capset (v3 header) with the inheritable words zeroed. Its exec
  // then drops the rest, as under a per-command unshare; as root (no user namespace) nothing changes.
  '    syscall($sys_prctl, 47, 4, 0, 0, 0);',
  '    my ($cap_header, $caps) = (pack("LL", 0x20080522, 0), "\\0" x 24);',
  '    if (syscall($sys_capget, $cap_header, $caps) == 0) {',
  '      substr($caps, 8, 4) = "\\0" x 4; substr($caps, 20, 4) = "\\0" x 4; syscall($sys_capset, $cap_header, $caps) }',
  '    exec { $argv[0] } @argv;',
  '    print $report "end spawn-failed " . ($! + 0) . "\\n"; syscall($sys_exit, 127) }',
  // Both sides set the group, so a SIGTERM sent at once finds it.
  '  setpgrp($child, $child);',
  "  $target = -$child; kill 'TERM', $target if $pending_term;",
  // From here on exactly containment.ts's init.
  '  my $status = 0;',
  '  while (1) { my $pid = waitpid(-1, 0);',
  '    if ($pid == -1) { next unless $! + 0 == 10;',
  "      last unless $mode eq 'linger' && kill(0, -1);",
  '      select(undef, undef, undef, 0.05); next }',
  '    next unless $pid == $child; $status = $?;',
  '    print $report "end ", (($status & 127) ? "signal " . ($status & 127) : "exit " . ($status >> 8)), "\\n";',
  "    last if $mode eq 'once' }",
  // exit_group directly: perl's own exit would tidy up a heap this process is about to drop anyway.
  '  syscall($sys_exit, ($status & 127) ? 128 + ($status & 127) : $status >> 8) }',
].join('\n');

/** The syscall numbers the script takes, and O_NOFOLLOW, in its order, by Node's name for the architecture. */
export function spawnerSyscalls(arch: string): number[] | undefined {
  // unshare, mount, prctl, setns, rt_sigprocmask, signalfd4, exit_group, capget, capset, mknodat; O_NOFOLLOW
  if (arch === 'x64') return [272, 165, 157, 308, 14, 289, 231, 125, 126, 259, 0o400000];
  if (arch === 'arm64') return [97, 40, 167, 268, 135, 74, 94, 90, 91, 33, 0o100000];
  return undefined;
}
