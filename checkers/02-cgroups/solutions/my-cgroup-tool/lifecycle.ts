// Lesson 2.2, solved.
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupDir, cgroupRoot, writeCgroupFile } from './cgroupfs.js';
import { ToolError } from './errors.js';

export const controllers = ['memory', 'cpu', 'pids'];

export function createCgroup(name: string): void {
  const target = cgroupDir(name);
  const parts = target.slice(cgroupRoot.length).split('/').filter(Boolean);
  let dir = cgroupRoot;
  for (const part of parts) {
    const enabled = readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
    for (const controller of controllers) {
      if (enabled.includes(controller)) continue;
      try {
        writeCgroupFile(join(dir, 'cgroup.subtree_control'), `+${controller}`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EBUSY') throw new ToolError(`${dir} holds processes, so it cannot enable ${controller} for its children (no internal processes)`);
        if (code === 'ENOENT') throw new ToolError(`${controller} is not available in ${dir} (its parent did not delegate it)`);
        throw error;
      }
    }
    dir = join(dir, part);
    if (!existsSync(dir)) mkdirSync(dir);
  }
}

export function attachProcess(name: string, pid: number): void {
  if (!Number.isInteger(pid) || pid <= 0) throw new ToolError(`"${pid}" is not a process id`, 2);
  try {
    writeCgroupFile(join(cgroupDir(name), 'cgroup.procs'), String(pid));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new ToolError(`no process ${pid}`, 2);
    if (code === 'ENOENT') throw new ToolError(`no cgroup ${name}: create it first`, 2);
    throw error;
  }
}

export function deleteCgroup(name: string): void {
  try {
    rmdirSync(cgroupDir(name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EBUSY') throw new ToolError(`${name} still has processes or child cgroups`);
    if (code === 'ENOENT') throw new ToolError(`no cgroup ${name}`, 2);
    throw error;
  }
}
