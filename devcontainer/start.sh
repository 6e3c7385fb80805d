#!/usr/bin/env bash
# Runs when the DevContainer starts: make cgroup delegation work where the host allows it (the nesting move of
# `isolab doctor --fix`), mount the kernel filesystems the eBPF track reads, then say in one place what this
# container can do and, if not everything, why.
set -u
cd "$(dirname "$0")/.." || exit 1
[ -f dist/isolab.js ] || npm run --silent build || exit 1
isolab() { node dist/isolab.js "$@"; }

fix_output=$(isolab doctor --fix --yes 2>&1)
fix_status=$?

# The kernel filesystems the eBPF track reads, which a systemd host mounts at boot and Docker mounts in no
# container: tracefs (tracepoints), securityfs (the active LSM list), bpf (pins). A privileged container may mount
# them; where a mount fails, doctor's report below says which lessons stay locked and why.
mounted=() refused=()
for fs in tracefs:/sys/kernel/tracing securityfs:/sys/kernel/security bpf:/sys/fs/bpf; do
  type=${fs%%:*} dir=${fs#*:}
  mountpoint -q "$dir" && continue
  if mount -t "$type" "$type" "$dir" 2>/dev/null; then mounted+=("$type at $dir"); else refused+=("$type at $dir"); fi
done
((${#mounted[@]})) && printf 'isolab: mounted %s for the eBPF track.\n' "$(IFS=,; echo "${mounted[*]}" | sed 's/,/, /g')"
((${#refused[@]})) && printf 'isolab: could not mount %s (is the container privileged?).\n' "$(IFS=,; echo "${refused[*]}" | sed 's/,/, /g')"

isolab doctor --json | node -e '
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
    const report = JSON.parse(text);
    const { status, why } = report.cgroup.delegation;
    console.log(`isolab: ${report.environment.summary}`);
    if (status === "ok") {
      console.log("isolab: cgroup delegation works here; the cgroup lessons can run.");
    } else {
      console.log(`isolab: cgroup delegation is ${status}: ${why}`);
      const memory = report.lessons.locked.find((entry) => entry.id === "cgroups/memory-limits");
      if (memory) console.log(`isolab: what to do: ${memory.reasons.join("; ")}`);
      if (status === "read-only") console.log("isolab: Docker Desktop: the container must run privileged (this devcontainer.json asks for it; check that your Docker allows privileged containers).");
    }
    console.log(`isolab: ${report.lessons.available.length} lessons can run here; isolab doctor says why the others cannot.`);
  });
'
# The fix's own words when it refused for a reason the report does not already give.
if [ "$fix_status" -ne 0 ]; then
  printf 'isolab: doctor --fix: %s\n' "$(printf '%s' "$fix_output" | head -n 2 | tr '\n' ' ')"
fi
exit 0
