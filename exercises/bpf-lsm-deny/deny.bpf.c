// Lesson 5.5: an LSM program that denies opening one file to the processes of one cgroup.
//
// Compile (against your kernel's types, vmlinux.h; lesson step 2):
//   clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I /tmp/isolab-5.5 -c exercises/bpf-lsm-deny/deny.bpf.c -o /tmp/isolab-5.5/deny.bpf.o
// Load, attach and pin it (lesson step 3): isolab-bpf-load sets the three globals below before the load.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

// Set by the loader (target_cgroup=N target_ino=N target_dev=N); `const volatile` puts them in the object's
// read-only data, so the verifier sees them as constants once loaded.
const volatile __u64 target_cgroup = 0;
const volatile __u64 target_ino = 0;
const volatile __u32 target_dev = 0;

// TODO(5.5): the hook: SEC("lsm/<hook>") with the LSM hook that runs when a file is opened (the lesson, step 1).
SEC("lsm/TODO")
int BPF_PROG(isolab_deny, struct file *file, int ret)
{
	// An earlier LSM (or an earlier BPF program) already said no: keep its answer.
	if (ret != 0)
		return ret;

	// TODO(5.5): allow (return 0) unless the opening task runs in the cgroup whose id is target_cgroup.

	// TODO(5.5): allow unless the file is the target: its inode's number (file->f_inode->i_ino) is target_ino
	// and the device of the inode's filesystem (file->f_inode->i_sb->s_dev) is target_dev.

	// TODO(5.5): deny the open: an LSM hook says no by returning a negative errno.
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
