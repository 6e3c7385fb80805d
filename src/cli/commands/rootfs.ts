import { basename, dirname } from 'node:path';
import { buildRootfs } from '../../rootfs/index.js';
import type { Command } from '../command.js';
import { out } from '../output.js';

export const rootfs: Command = {
  name: 'rootfs',
  usage: 'rootfs <dir> [--force]',
  operands: 'directory',
  summary: "builds a busybox root filesystem for a container from the distribution's busybox-static",
  example: 'sudo isolab rootfs /tmp/isolab-lab/oci/bundle/rootfs',
  async run(context) {
    const result = buildRootfs(context.positionals[0]!, { force: context.flags.force });
    if (context.flags.json) {
      out(JSON.stringify({ version: 1, rootfs: result }, null, 2));
      return 0;
    }
    out(`Built a rootfs in ${result.dir}`);
    out(`  bin/busybox   ${result.version ?? 'busybox'}, static, ${result.machine}, copied from ${result.busybox}`);
    out(`  applets       ${result.applets} symlinks to it in bin, sbin, usr/bin, usr/sbin`);
    out(`  directories   ${result.directories.join(' ')}`);
    out('  etc           passwd, group, hostname');
    // runc spec writes root.path "rootfs": a directory of that name beside config.json is a bundle as it stands.
    const bundle = dirname(result.dir);
    out(
      basename(result.dir) === 'rootfs'
        ? `Next: cd ${bundle} && runc spec   (config.json beside rootfs/ makes a bundle)`
        : `Next: runc spec in the bundle directory, then set root.path in config.json to ${result.dir}`,
    );
    return 0;
  },
};
