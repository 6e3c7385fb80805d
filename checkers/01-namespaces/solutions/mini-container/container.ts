// Lesson 1.12: the two pieces of a container launcher.

/**
 * The options for unshare(1) that give the command new UTS, PID, mount, IPC and network namespaces.
 * Think about what a new PID namespace needs so that the command is its first process.
 */
export function namespaceFlags(): string[] {
  // --fork: the PID namespace applies to unshare's children, so the script must run in a child, as its pid 1.
  return ['--uts', '--pid', '--mount', '--ipc', '--net', '--fork'];
}

/**
 * A bash script, run by unshare inside the new namespaces, with $1 = the rootfs directory, $2 = the hostname and
 * the rest ("$@" after `shift 2`) = the command. It must: keep mount changes out of the host (make / private),
 * make the rootfs a mount point, pivot_root into it, mount a fresh proc on /proc, detach the old root, set the
 * hostname and finally exec the command.
 */
export function insideScript(): string {
  return [
    'set -e',
    'rootfs=$1; name=$2; shift 2',
    'mount --make-rprivate /',
    'mount --bind "$rootfs" "$rootfs"',
    'cd "$rootfs"',
    'mkdir -p .oldroot',
    'pivot_root . .oldroot',
    'cd /',
    'hash -r',
    'mount -t proc proc /proc',
    'umount -l /.oldroot',
    'rmdir /.oldroot',
    'hostname "$name"',
    'exec "$@"',
  ].join('\n');
}
