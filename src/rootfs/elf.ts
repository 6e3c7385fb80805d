import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Just enough of an ELF header to know whether a binary can run inside a bare rootfs: which machine it is for
 * (e_machine, elf(5)), 32 or 64 bits, and whether it asks for a dynamic loader (a PT_INTERP program header). A
 * dynamically linked busybox would stop in the container with "no such file or directory" for its loader.
 */
export interface ElfInfo {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_machine: 62 for x86-64, 183 for AArch64, … */
  machine: number;
  /** true when no program header is PT_INTERP: the kernel runs it without ld.so and a libc beside it. */
  static: boolean;
}

const PT_INTERP = 3;

/** e_machine and the word size a binary for this Node's architecture (process.arch) has. */
const machines: Partial<Record<NodeJS.Architecture, { machine: number; bits: 32 | 64; name: string }>> = {
  x64: { machine: 62, bits: 64, name: 'x86-64' },
  arm64: { machine: 183, bits: 64, name: 'AArch64' },
  arm: { machine: 40, bits: 32, name: 'ARM' },
  ia32: { machine: 3, bits: 32, name: 'i386' },
  riscv64: { machine: 243, bits: 64, name: 'RISC-V' },
  ppc64: { machine: 21, bits: 64, name: 'PowerPC64' },
  s390x: { machine: 22, bits: 64, name: 'S/390' },
  loong64: { machine: 258, bits: 64, name: 'LoongArch' },
  mips: { machine: 8, bits: 32, name: 'MIPS' },
  mipsel: { machine: 8, bits: 32, name: 'MIPS' },
};

export function expectedElf(arch: NodeJS.Architecture): { machine: number; bits: 32 | 64; name: string } | undefined {
  return machines[arch];
}

/** A name for an e_machine value, for messages ("an AArch64 binary"). */
export function machineName(machine: number): string {
  return Object.values(machines).find((entry) => entry.machine === machine)?.name ?? `e_machine ${machine}`;
}

/** Parses the ELF header and program headers of a file; undefined when it is not ELF at all. */
export function readElf(path: string): ElfInfo | undefined {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(64);
    if (readSync(fd, header, 0, 64, 0) < 52) return undefined;
    return parseElf(header, (offset, length) => {
      const buffer = Buffer.alloc(length);
      const read = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, read);
    });
  } finally {
    closeSync(fd);
  }
}

/** The parsing itself, over a header and a reader for the program header table (tests give it bytes). */
export function parseElf(header: Buffer, read: (offset: number, length: number) => Buffer): ElfInfo | undefined {
  if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const elfClass = header[4];
  const data = header[5];
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2)) return undefined;
  const bits = elfClass === 2 ? 64 : 32;
  const littleEndian = data === 1;
  const u16 = (offset: number) => (littleEndian ? header.readUInt16LE(offset) : header.readUInt16BE(offset));
  const u32 = (buffer: Buffer, offset: number) => (littleEndian ? buffer.readUInt32LE(offset) : buffer.readUInt32BE(offset));
  const machine = u16(18);
  let phoff: number;
  let phentsize: number;
  let phnum: number;
  if (bits === 64) {
    if (header.length < 64) return undefined;
    phoff = Number(littleEndian ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32));
    phentsize = u16(54);
    phnum = u16(56);
  } else {
    phoff = u32(header, 28);
    phentsize = u16(42);
    phnum = u16(44);
  }
  let interpreter = false;
  if (phnum > 0 && phentsize >= 4) {
    const table = read(phoff, phentsize * phnum);
    for (let index = 0; index < phnum && (index + 1) * phentsize <= table.length; index++) {
      if (u32(table, index * phentsize) === PT_INTERP) interpreter = true;
    }
  }
  return { bits, littleEndian, machine, static: !interpreter };
}
