#!/bin/bash
# Usage: vm/lanes/check.sh <v2|container|systemd>
# Exit 0 if the lane is prepared (qemu, kernel, modules, up-to-date cached
# artifacts), else print why and exit 1. Fast: nothing is booted.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if (($# != 1)) || ! is_lane "$1"; then
  note "usage: check.sh <v2|container|systemd>"
  exit 1
fi
if why=$(check_lane "$1"); then
  echo "lane $1: ready (kernel $(kernel_release), cache $CACHE_DIR)"
else
  echo "lane $1: not ready"
  indent "$why"
  echo "  fix: vm/lanes/prepare.sh $1"
  exit 1
fi
