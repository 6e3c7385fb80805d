// Lesson 2.2: create, attach, delete.
import { cgroupDir, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

/** The controllers a new cgroup gets. */
export const controllers = ['memory', 'cpu', 'pids'];

/**
 * Makes the cgroup and any missing parents. On the way down, every parent (not the new cgroup itself) writes
 * "+memory", "+cpu" and "+pids" into its cgroup.subtree_control, one per write, so the new cgroup gets
 * memory.max, cpu.max and pids.max files. An existing cgroup is fine.
 */
export function createCgroup(name: string): void {
  throw new Error(`TODO(2.2): create ${cgroupDir(name)} and enable ${controllers.join(', ')} in every parent`);
}

/** Moves a process into the cgroup: write its pid to cgroup.procs. A pid that does not exist is bad input. */
export function attachProcess(name: string, pid: number): void {
  throw new Error(`TODO(2.2): write ${pid} to ${cgroupDir(name)}/cgroup.procs`);
}

/** Removes the cgroup with rmdir (never rm -r: the files are the kernel's). It must hold no processes. */
export function deleteCgroup(name: string): void {
  throw new Error(`TODO(2.2): remove ${cgroupDir(name)}`);
}

// Keep the import used until you write the functions above.
void writeCgroupFile;
void ToolError;
