// Lesson 5.5: deny opening one file to the processes of one cgroup (the reference solution).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

// Set by the loader before the load (isolab-bpf-load ... target_cgroup=N target_ino=N target_dev=N).
const volatile __u64 target_cgroup = 0;
const volatile __u64 target_ino = 0;
const volatile __u32 target_dev = 0;

SEC("lsm/file_open")
int BPF_PROG(isolab_deny, struct file *file, int ret)
{
	if (ret != 0)
		return ret;
	if (bpf_get_current_cgroup_id() != target_cgroup)
		return 0;
	struct inode *inode = file->f_inode;
	if (inode->i_ino != target_ino || inode->i_sb->s_dev != target_dev)
		return 0;
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
