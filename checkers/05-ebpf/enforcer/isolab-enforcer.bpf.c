// SPDX-License-Identifier: GPL-2.0
// isolab's enforcer for lesson 5.6: a BPF LSM program on the file_open hook that refuses an open with EPERM when
// the rule map holds the pair (the opener's cgroup, the file's inode). Each rule's value counts its refusals, so
// `bpftool map dump` shows which rule is doing the blocking.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EPERM 1

// One rule: processes of the cgroup with this id (the inode of its directory in the cgroup2 tree, what
// bpf_get_current_cgroup_id() returns) may not open the file with this inode number. A real enforcer would key by
// the device too; the lab's files all live on one filesystem.
struct rule {
	__u64 cgroup;
	__u64 inode;
};

// Small on purpose: the lesson fills it.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, struct rule);
	__type(value, __u64);
} isolab_rules SEC(".maps");

SEC("lsm/file_open")
int BPF_PROG(isolab_enforcer, struct file *file, int ret)
{
	struct rule key = {};
	__u64 *refused;

	// An earlier LSM refused already: keep its answer.
	if (ret != 0)
		return ret;
	key.cgroup = bpf_get_current_cgroup_id();
	key.inode = BPF_CORE_READ(file, f_inode, i_ino);
	refused = bpf_map_lookup_elem(&isolab_rules, &key);
	if (!refused)
		return 0;
	__sync_fetch_and_add(refused, 1);
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
