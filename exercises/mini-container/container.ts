// Lesson 1.12: the two pieces of a container launcher.

/**
 * The options for unshare(1) that give the command new UTS, PID, mount, IPC and network namespaces.
 * Think about what a new PID namespace needs so that the command is its first process.
 */
export function namespaceFlags(): string[] {
  throw new Error('TODO(1.12): the unshare options');
}

/**
 * A bash script, run by unshare inside the new namespaces, with $1 = the rootfs directory, $2 = the hostname and
 * the rest ("$@" after `shift 2`) = the command. It must: keep mount changes out of the host (make / private),
 * make the rootfs a mount point, pivot_root into it, mount a fresh proc on /proc, detach the old root, set the
 * hostname and finally exec the command.
 */
export function insideScript(): string {
  throw new Error('TODO(1.12): the script that runs inside');
}
