#!/bin/bash
# Usage (inside the guest): run-command.sh RUN_DIR
# Runs RUN_DIR/cmd.sh between the begin and end markers that run.sh looks for on
# the console, and puts the exit status into the end marker.
run=$1
nonce=$(cat "$run/nonce")

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
