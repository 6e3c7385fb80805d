#!/bin/bash
# Usage: vm/lanes/check.sh <lane>
#        vm/lanes/check.sh --list
# Exit 0 if the lane is prepared (qemu, its kernel, up-to-date cached artifacts), else print why and exit 1.
# Fast: nothing is booted, nothing is fetched. --list prints every lane, one a line: name, machine, Debian suite
# of its kernel, and the kernel release cached for it ("-" when none).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${1:-} == --list && $# == 1 ]]; then
  for l in "${LANES[@]}"; do
    s=$(lane_suite "$l")
    printf '%s %s %s %s\n' "$l" "$(lane_machine "$l")" "$s" "$(kernel_release "$s" || echo -)"
  done
  exit 0
fi
if (($# != 1)) || ! is_lane "$1"; then
  note "usage: check.sh <$(IFS='|'; echo "${LANES[*]}")> | --list"
  exit 1
fi
suite=$(lane_suite "$1")
if why=$(check_lane "$1"); then
  echo "lane $1: ready (kernel $(kernel_release "$suite"), Debian $suite; cache $CACHE_DIR)"
else
  echo "lane $1: not ready"
  indent "$why"
  echo "  fix: vm/lanes/prepare.sh $1"
  exit 1
fi
