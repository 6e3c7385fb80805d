export { buildRootfs, rootfsDirectories, type RootfsOptions, type RootfsResult } from './build.js';
export { expectedElf, machineName, parseElf, readElf, type ElfInfo } from './elf.js';
