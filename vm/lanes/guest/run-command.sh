#!/bin/bash
# Usage (inside the guest): run-command.sh RUN_DIR
# Runs RUN_DIR/cmd.sh between the begin and end markers that run.sh looks for on
# the console, and puts the exit status into the end marker.
run=$1
nonce=$(cat "$run/nonce")

# The lab's --tty: the command gets the serial console as its controlling terminal, at the host terminal's
# size, and its status goes to the run directory (shared read-write) instead of the console.
if [[ -e $run/tty ]]; then
  console=/dev/ttyS0
  follow_size() {
    local size last='' never
    # A FIFO nobody writes: `read -t` on it is a sleep without a process a turn.
    never=/run/isolab-never
    mkfifo "$never" && exec 7<>"$never"
    while :; do
      read -r size <"$run/winsize" 2>/dev/null || return 0
      if [[ $size != "$last" && $size =~ ^[0-9]+\ [0-9]+$ ]]; then
        # Setting the size sends SIGWINCH to the terminal's foreground process group.
        stty -F "$console" rows "${size% *}" cols "${size#* }" 2>/dev/null
        last=$size
      fi
      read -r -t 0.5 -u 7
    done
  }
  stty -F "$console" sane 2>/dev/null
  follow_size &
  setsid --ctty --wait bash "$run/cmd.sh" <>"$console" >&0 2>&0
  status=$?
  kill %1 2>/dev/null
  printf '%s\n' "$status" >"$run/status"
  # The terminal is the learner's again: not even the kernel's "Power down" goes on it.
  echo 0 >/proc/sys/kernel/printk
  exit 0
fi

# The command's stdout/stderr go through a pipe, not straight to the serial
# console: on the host they end up in a pipe too, so tools see "not a TTY" in
# both places (no colours, no cursor games from test reporters).
fifo=/run/isolab-output
rm -f "$fifo"
mkfifo "$fifo"
cat "$fifo" &

printf '@@ISOLAB-BEGIN-%s@@\n' "$nonce"
# The outer 2>/dev/null silences bash's own "Killed" report when the command
# dies of a signal; the status (128+N) says it already.
{ bash "$run/cmd.sh" </dev/null >"$fifo" 2>&1; status=$?; } 2>/dev/null
# cat ends when the last writer closes the pipe. A daemon the command left
# behind may hold it open forever, so give up after 10 s.
for _ in $(seq 100); do
  [[ -z $(jobs -pr) ]] && break
  sleep 0.1
done
kill %1 2>/dev/null
wait
printf '@@ISOLAB-END-%s:%s@@\n' "$nonce" "$status"
