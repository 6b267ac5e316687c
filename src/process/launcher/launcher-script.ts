/**
 * The process launcher: one long-lived Perl process per Sluice process that starts Sluice's own short
 * captured commands (git) on request, so that Node does not fork its own big process for each one.
 * No namespaces: each command runs as the direct spawn would run it, in a process group of its own.
 *
 * Requests on stdin, one line each; every field after the size is `x` + hex, so any byte may appear:
 *   run <id> <input size | -> x<cwd> x<argc> x<argv>... then the command's environment as changes to the
 *       launcher's own: x<NAME=value> sets, -<hex NAME> removes; followed by exactly <input size> raw
 *       bytes, the command's stdin (`-`: stdin is /dev/null)
 *   term <id> / kill <id>   SIGTERM / SIGKILL to the command's group, only while the command is not reaped
 * Replies on stdout, written by the launcher only (a command's stdout and stderr are sockets of its own):
 *   started <id> <pid>
 *   end <id> exit N | signal N | spawn-failed ERRNO <stdout size> <stderr size>, then those raw bytes
 * A reply is framed by the sizes the launcher counted, so nothing a command prints can pass for a reply.
 *
 * A command's stdin, stdout and stderr are unix socketpairs, as under Node's own spawn: no path names
 * them, and unlike a file or a pipe a socket cannot be opened again through /proc/<pid>/fd, so another
 * process of the same user can neither rewrite what git reads nor what Sluice reads back. The launcher
 * reads every command's output and feeds every command's input in one select() loop. Per request it
 * forks a child that takes a group of its own, dies with the launcher (parent-death signal), sets up its
 * descriptors, cwd and environment, and waits for the launcher's go, which comes only once `started` is
 * written: a command the launcher never reported is never run, so Node may run it another way. On a
 * failed chdir or exec the child writes the errno on a socket of its own (close-on-exec: after a good
 * exec nothing comes). The launcher learns of a child's end through a signalfd (SIGCHLD blocked, so
 * select() cannot miss one), kills the child's group while the child is still a zombie (its pid cannot be
 * reused yet), reaps it, takes what is left in its sockets (all the command wrote: it has exited; a
 * process that left the group and holds them is not waited for) and replies. When Sluice closes its stdin
 * (Sluice exited or was killed) the launcher kills every group it runs and exits; killed itself, its
 * children die with it. Arguments: the syscall numbers launcherSyscalls lists.
 */
export const launcherScript = String.raw`# sluice process launcher
my ($sys_prctl, $sys_sigmask, $sys_signalfd, $sys_waitid, $sys_exit) = map { $_ + 0 } @ARGV;
binmode(STDIN); binmode(STDOUT); $| = 1;
# A reader that is gone is seen as EOF on stdin; the children get SIGPIPE back before they exec.
$SIG{PIPE} = 'IGNORE';
# PR_SET_DUMPABLE 0: a process of the same user cannot reach our descriptors through /proc/<pid>/fd;
# each command's exec makes it dumpable again.
syscall($sys_prctl, 4, 0, 0, 0, 0);
my $chld_mask = pack("Q", 1 << 16);
syscall($sys_sigmask, 0, $chld_mask, 0, 8) == 0 or exit 1;
my $signalfd = syscall($sys_signalfd, -1, $chld_mask, 8, 0x80800);
exit 1 if $signalfd < 0;
open(my $chld, '<&=', $signalfd) or exit 1;
my $launcher = $$;
# By id: the command's pid, its errno socket, what it printed (stdout, stderr), its input still to feed
# ([socket, bytes, offset]); by descriptor: each output socket still open ([id, 0 stdout | 1 stderr, socket]).
my (%pid_of, %id_of, %link_of, %output, %feed, %readers);
my ($buffer, $scanned, $waiting) = ('', 0, undef);
while (1) {
  my ($want, $writable) = ('', '');
  vec($want, 0, 1) = 1; vec($want, $signalfd, 1) = 1;
  vec($want, $_, 1) = 1 for keys %readers;
  vec($writable, fileno($_->[0]), 1) = 1 for values %feed;
  my $can = length($writable) ? $writable : undef;
  next unless select(my $got = $want, $can, undef, undef) > 0;
  for my $fd (keys %readers) { drain($fd) if vec($got, $fd, 1) }
  for my $id (keys %feed) { feed($id) if $feed{$id} && vec($can, fileno($feed{$id}[0]), 1) }
  if (vec($got, $signalfd, 1)) { sysread($chld, my $info, 4096); reap() }
  next unless vec($got, 0, 1);
  my $read = sysread(STDIN, $buffer, 65536, length $buffer);
  if (!defined $read) { next if $! + 0 == 4; finish() }
  finish() if $read == 0;
  requests();
}

sub finish { kill 'KILL', -$_ for values %pid_of; exit 0 }

# Every whole request in the buffer; a run waits for its stdin bytes.
sub requests {
  while (1) {
    if ($waiting) {
      my ($id, $size, $fields) = @$waiting;
      return if length($buffer) < $size;
      start($id, $fields, substr($buffer, 0, $size, ''));
      $waiting = undef; next }
    my $end = index($buffer, "\n", $scanned);
    if ($end < 0) { $scanned = length $buffer; return }
    my $line = substr($buffer, 0, $end + 1, ''); chop $line; $scanned = 0;
    my ($kind, $id, $rest) = split / /, $line, 3;
    if ($kind eq 'run') {
      my ($size, $fields) = split / /, $rest, 2;
      if ($size eq '-') { start($id, $fields, undef) } else { $waiting = [$id, $size + 0, $fields] } }
    elsif ($kind eq 'term') { kill 'TERM', -$pid_of{$id} if $pid_of{$id} }
    elsif ($kind eq 'kill') { kill 'KILL', -$pid_of{$id} if $pid_of{$id} } } }

sub start {
  my ($id, $fields, $input) = @_;
  # Sockets for stdout, stderr, stdin if there is input, and the errno; ours close-on-exec (Perl's default).
  my (@ours, @theirs);
  for my $stream (0 .. (defined $input ? 3 : 2)) { socketpair($ours[$stream], $theirs[$stream], 1, 1, 0) or return failed($id) }
  my $pid = fork();
  return failed($id) unless defined $pid;
  if ($pid == 0) { close($_) for @ours; child($fields, @theirs) }
  close($_) for @theirs;
  # Both sides set the group, so a term sent at once finds it.
  setpgrp($pid, $pid);
  # F_SETFL O_NONBLOCK: no command's socket may hold up the others.
  for my $stream (0, 1) { fcntl($ours[$stream], 4, 0x800); $readers{fileno($ours[$stream])} = [$id, $stream, $ours[$stream]] }
  $output{$id} = ['', ''];
  if (defined $input) {
    if (length $input) { fcntl($ours[3], 4, 0x800); $feed{$id} = [$ours[3], $input, 0] } else { close($ours[3]) } }
  $pid_of{$id} = $pid; $id_of{$pid} = $id; $link_of{$id} = $ours[2];
  print "started $id $pid\n";
  syswrite($ours[2], 'g') }

sub failed { my ($id) = @_; print "end $id spawn-failed " . ($! + 0) . " 0 0\n" }

sub child {
  my ($fields, $out, $err, $link, $in) = @_;
  my $fail = sub { syswrite($link, ($! + 0) . "\n"); syscall($sys_exit, 127) };
  setpgrp(0, 0);
  # PR_SET_PDEATHSIG SIGKILL; a launcher already gone before that is seen in our parent's pid.
  syscall($sys_prctl, 1, 9, 0, 0, 0);
  syscall($sys_exit, 127) if getppid() != $launcher;
  $SIG{PIPE} = 'DEFAULT';
  my $no_signals = "\0" x 8;
  syscall($sys_sigmask, 2, $no_signals, 0, 8);
  if ($in) { open(STDIN, '<&', $in) or $fail->() } else { open(STDIN, '<', '/dev/null') or $fail->() }
  open(STDOUT, '>&', $out) or $fail->();
  open(STDERR, '>&', $err) or $fail->();
  my @env = split / /, $fields;
  my ($cwd, $argc) = map { pack("H*", substr($_, 1)) } splice(@env, 0, 2);
  my @argv = map { pack("H*", substr($_, 1)) } splice(@env, 0, $argc);
  chdir($cwd) or $fail->();
  for (@env) { my $text = pack("H*", substr($_, 1));
    if (substr($_, 0, 1) eq '-') { delete $ENV{$text} } else { my ($name, $value) = split /=/, $text, 2; $ENV{$name} = $value // '' } }
  # The launcher's go: without it (the launcher died before it reported us) nothing runs.
  my $go = '';
  syscall($sys_exit, 127) unless sysread($link, $go, 1) == 1;
  exec { $argv[0] } @argv;
  $fail->() }

# One read of an output socket; true while it yields bytes. At its end (EOF) it is closed.
sub drain {
  my ($fd) = @_;
  my $reader = $readers{$fd} or return 0;
  my ($id, $stream, $fh) = @$reader;
  my $read = sysread($fh, $output{$id}[$stream], 65536, length $output{$id}[$stream]);
  return 1 if $read;
  # EAGAIN (11) or EINTR (4): nothing for now.
  return 0 if !defined $read && ($! + 0 == 11 || $! + 0 == 4);
  close($fh); delete $readers{$fd};
  return 0 }

# One write of a command's input; its socket is closed (EOF for the command) once all is written.
sub feed {
  my ($id) = @_;
  my ($fh, $input, $at) = @{ $feed{$id} };
  my $wrote = syswrite($fh, $input, 65536, $at);
  return if !defined $wrote && ($! + 0 == 11 || $! + 0 == 4);
  $feed{$id}[2] = $at += $wrote // 0;
  if (!$wrote || $at >= length $input) { close($fh); delete $feed{$id} } }

sub reap {
  while (1) {
    # waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT): which child ended, leaving it a zombie for now.
    my $info = "\0" x 128;
    last if syscall($sys_waitid, 0, 0, $info, 0x01000005, 0) != 0;
    my $pid = unpack("x16 l", $info);
    last unless $pid > 0;
    my $id = delete $id_of{$pid};
    # What the command left in its group dies before the group's id can be anyone else's.
    kill 'KILL', -$pid if defined $id;
    waitpid($pid, 0);
    ended($id, $?) if defined $id } }

sub ended {
  my ($id, $status) = @_;
  delete $pid_of{$id};
  my $link = delete $link_of{$id};
  my $errno = '';
  sysread($link, $errno, 64); close($link);
  if (my $feed = delete $feed{$id}) { close($feed->[0]) }
  # All the command wrote is in its sockets now; a bounded drain, so a stray that keeps writing cannot hold us.
  for my $fd (grep { $readers{$_}[0] eq $id } keys %readers) {
    for (1 .. 64) { last unless drain($fd) }
    if (my $reader = delete $readers{$fd}) { close($reader->[2]) } }
  my ($stdout, $stderr) = @{ delete $output{$id} };
  my $how = $errno =~ /^(\d+)\n/ ? "spawn-failed $1" : ($status & 127) ? "signal " . ($status & 127) : "exit " . ($status >> 8);
  print "end $id $how " . length($stdout) . " " . length($stderr) . "\n"; print $stdout; print $stderr }
`;

/** The syscall numbers the script takes, in its order, by Node's name for the architecture. */
export function launcherSyscalls(arch: string): number[] | undefined {
  // prctl, rt_sigprocmask, signalfd4, waitid, exit_group
  if (arch === 'x64') return [157, 14, 289, 247, 231];
  if (arch === 'arm64') return [167, 135, 74, 95, 94];
  return undefined;
}
