import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeControlFile } from '../../src/cgroup/index.js';

const words = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean) : []);

/**
 * Undoes the nesting move in a lane guest, so the next test file starts from the DevContainer situation:
 * lab cgroups removed, controllers disabled at the namespace root, processes moved back, init/ removed.
 */
export function undoNesting(root = '/sys/fs/cgroup'): void {
  for (const name of ['lab', 'isolab']) if (existsSync(join(root, name))) removeTree(join(root, name));
  for (const controller of words(join(root, 'cgroup.subtree_control'))) writeControlFile(join(root, 'cgroup.subtree_control'), `-${controller}`);
  if (!existsSync(join(root, 'init'))) return;
  for (const pid of words(join(root, 'init/cgroup.procs'))) {
    try {
      writeControlFile(join(root, 'cgroup.procs'), pid);
    } catch {
      // Exited meanwhile.
    }
  }
  rmdirSync(join(root, 'init'));
}

function removeTree(dir: string): void {
  for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(line), 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name));
  rmdirSync(dir);
}
