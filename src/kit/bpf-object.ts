import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bpfPinRoot, isLabPinPath } from '../lab/index.js';
import { packageRoot } from '../system/index.js';
import { failCheck, type CheckContext, type ExecResult } from '../verify/index.js';
import { systemPath } from './system-files.js';

/**
 * BPF objects from C: the kernel's types as vmlinux.h (dumped from its BTF once per kernel), a .bpf.c compiled by
 * clang for the BPF target, and isolab's loader (src/kit/bpf/isolab-bpf-load.c, built with cc -lbpf on first use)
 * that opens, loads, attaches and pins an object under /sys/fs/bpf/isolab…. Debian 12's bpftool cannot attach an
 * LSM program (no `autoattach` before bpftool 7.3), so a small libbpf loader is the one route every kernel shares.
 */

/** Where a lesson's pin directories go: `${bpfPinPrefix}-<lesson>` (the loader refuses any other place). */
export const bpfPinPrefix = `${bpfPinRoot}/isolab`;

const loaderName = 'isolab-bpf-load';

/** What isolab builds for BPF, kept between checks: vmlinux.h per kernel, the loader per source. Root's only. */
export function bpfCacheDir(context: Pick<CheckContext, 'system'>): string {
  return context.system.env.ISOLAB_BPF_CACHE || '/var/cache/isolab/bpf';
}

/**
 * The loader's C source: src/kit/bpf/ in a checkout (the one the lesson tells the learner to read, never a stale
 * copy of an earlier build), else dist/bpf/, where the build ships it for a package without src/.
 */
export function bpfLoaderSource(): string {
  const root = packageRoot();
  const source = join(root, 'src/kit/bpf', `${loaderName}.c`);
  return existsSync(source) ? source : join(root, 'dist/bpf', `${loaderName}.c`);
}

/** The target macro bpf_tracing.h wants for this machine's registers (`x86`, `arm64`). */
export function bpfTargetArch(): string {
  const names: Record<string, string> = { x64: 'x86', arm64: 'arm64', arm: 'arm', s390x: 's390', ppc64: 'powerpc', riscv64: 'riscv', loong64: 'loongarch' };
  return names[process.arch] ?? process.arch;
}

const lastLines = (text: string, count: number) => text.trim().split('\n').slice(-count).join('\n');
const said = (result: ExecResult) => result.spawnError ?? (lastLines(result.stderr, 6) || lastLines(result.stdout, 6) || `exit ${result.exitCode}`);

/** A tool isolab runs for BPF failed: the check ends, naming the step, the tool's own words and the remedy. */
function mustSucceed(result: ExecResult, step: string, remedy: string): ExecResult {
  if (result.exitCode === 0) return result;
  failCheck({ message: `${step} failed: ${said(result)}`, hint: remedy, observed: { exitCode: result.exitCode, stderr: lastLines(result.stderr, 20) } });
}

/** Made under a temporary name and renamed, so two checks at once never read a half-written file. */
async function buildOnce(path: string, make: (temporary: string) => Promise<void>): Promise<string> {
  if (existsSync(path)) return path;
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await make(temporary);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  return path;
}

/**
 * The directory holding this kernel's vmlinux.h (every type of the running kernel, from its BTF), dumped with
 * bpftool once per kernel release and BTF size.
 */
export async function vmlinuxHeaderDir(context: Pick<CheckContext, 'system' | 'exec'>): Promise<string> {
  const btf = systemPath(context, '/sys/kernel/btf/vmlinux');
  if (!existsSync(btf)) failCheck({ message: 'this kernel has no BTF (/sys/kernel/btf/vmlinux is missing)', hint: 'Boot a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian 11 and later are); isolab doctor shows it.' });
  const release = readFileSync(systemPath(context, '/proc/sys/kernel/osrelease'), 'utf8').trim();
  const dir = join(bpfCacheDir(context), `btf-${release}-${statSync(btf).size}`);
  await buildOnce(join(dir, 'vmlinux.h'), async (temporary) => {
    const result = await context.exec('sh', ['-c', 'exec bpftool btf dump file "$1" format c > "$2"', 'sh', btf, temporary], { timeoutMs: 120_000 });
    mustSucceed(result, 'bpftool btf dump (making vmlinux.h)', 'Install bpftool (Debian: apt install bpftool) and check that /sys/kernel/btf/vmlinux is readable.');
  });
  return dir;
}

/** The built loader, made from its source with cc -lbpf the first time (and again when the source changes). */
export async function bpfLoader(context: Pick<CheckContext, 'system' | 'exec'>): Promise<string> {
  const source = bpfLoaderSource();
  const digest = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  return buildOnce(join(bpfCacheDir(context), `${loaderName}-${digest}`), async (temporary) => {
    const result = await context.exec('cc', ['-O2', '-o', temporary, source, '-lbpf'], { timeoutMs: 120_000 });
    mustSucceed(result, `building isolab's BPF loader (cc ${source} -lbpf)`, 'Install a C compiler and libbpf\'s headers (Debian: apt install gcc libbpf-dev).');
  });
}

/** The first `file:line:col: error: …` of clang's output, the file relative to the workspace; else its last line. */
export function firstCompileError(stderr: string, workspace: string): string {
  const match = /^(.+?):(\d+):(\d+): (?:fatal )?error: (.+)$/m.exec(stderr);
  if (!match) return lastLines(stderr, 1) || 'clang failed without a message';
  const [, file = '', line, , text] = match;
  const shown = file.startsWith(`${workspace}/`) ? relative(workspace, file) : file;
  return `${shown}:${line}: ${text}`;
}

/**
 * Compiles a .bpf.c (a path under the workspace, or absolute) into `object` with clang against this kernel's
 * vmlinux.h. A compile error is the learner's to fix: the check fails with clang's first error at file:line.
 */
export async function mustCompileBpf(context: Pick<CheckContext, 'system' | 'exec' | 'workspace'>, source: string, object: string): Promise<void> {
  const headers = await vmlinuxHeaderDir(context);
  const path = source.startsWith('/') ? source : join(context.workspace, source);
  const result = await context.exec('clang', ['-O2', '-g', '-target', 'bpf', `-D__TARGET_ARCH_${bpfTargetArch()}`, '-I', headers, '-c', path, '-o', object], { timeoutMs: 120_000, cwd: context.workspace });
  if (result.spawnError) failCheck({ message: `clang could not start: ${result.spawnError}`, hint: 'Install clang and libbpf\'s headers (Debian: apt install clang libbpf-dev).' });
  if (result.exitCode !== 0) {
    failCheck({
      message: `${source} does not compile: ${firstCompileError(result.stderr, context.workspace)}`,
      hint: 'Fix the error clang names (file and line), then verify again.',
      observed: { stderr: lastLines(result.stderr, 20) },
    });
  }
}

/**
 * The section names of a BPF object (an ELF64 file as clang writes it for the BPF target): a program's section
 * is where it attaches (`lsm/file_open`), read without loading anything. Throws on a file that is not ELF64.
 */
export function bpfObjectSections(object: string): string[] {
  const elf = readFileSync(object);
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) throw new Error(`${object} is not an ELF64 object`);
  const little = elf[5] === 1;
  const u16 = (at: number) => (little ? elf.readUInt16LE(at) : elf.readUInt16BE(at));
  const u32 = (at: number) => (little ? elf.readUInt32LE(at) : elf.readUInt32BE(at));
  const u64 = (at: number) => Number(little ? elf.readBigUInt64LE(at) : elf.readBigUInt64BE(at));
  const [tableAt, entrySize, count, namesIndex] = [u64(0x28), u16(0x3a), u16(0x3c), u16(0x3e)];
  const header = (index: number) => tableAt + index * entrySize;
  const namesAt = u64(header(namesIndex) + 0x18);
  return Array.from({ length: count }, (_, index) => {
    const start = namesAt + u32(header(index));
    return elf.toString('latin1', start, elf.indexOf(0, start));
  }).filter((name) => name !== '');
}

/** A setting for the loader: a `const volatile` global's value. */
export type BpfGlobals = Readonly<Record<string, number | bigint | string>>;

/** One entry for a map, key and value as the bytes the map holds (hex, memory order). */
export interface BpfMapEntry {
  map: string;
  key: Uint8Array;
  value: Uint8Array;
}

/** What the loader pinned: each program's link and each map, with the kernel's ids. */
export interface LoadedBpf {
  links: { id: number; prog: string; progId: number; pinned: string }[];
  maps: { id: number; name: string; pinned: string }[];
}

/** The loader's `key=value` words as fields. */
const wordFields = (words: readonly string[]): Record<string, string | undefined> => Object.fromEntries(words.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));

/** The loader's lines (`link id=… prog=… prog_id=… pinned=…`, `map id=… name=… pinned=…`) as objects. */
export function parseLoaderOutput(stdout: string): LoadedBpf {
  const loaded: LoadedBpf = { links: [], maps: [] };
  for (const line of stdout.split('\n')) {
    const [kind, ...words] = line.trim().split(/\s+/);
    const fields = wordFields(words);
    if (kind === 'link') loaded.links.push({ id: Number(fields.id), prog: fields.prog ?? '', progId: Number(fields.prog_id), pinned: fields.pinned ?? '' });
    if (kind === 'map') loaded.maps.push({ id: Number(fields.id), name: fields.name ?? '', pinned: fields.pinned ?? '' });
  }
  return loaded;
}

/** Refuses a pin directory that is not a lab's (`isLabPinPath`: /sys/fs/bpf/isolab…, no dot): a bug in the course. */
export function assertIsolabPinDir(pinDir: string): void {
  if (!isLabPinPath(pinDir)) throw new Error(`not an isolab pin directory: ${pinDir} (pins go under ${bpfPinPrefix}…, with no dot in the name)`);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The loader's arguments for an object, its pin directory, the globals and the map entries. */
export function loaderArguments(object: string, pinDir: string, globals: BpfGlobals = {}, entries: readonly BpfMapEntry[] = []): string[] {
  assertIsolabPinDir(pinDir);
  return [object, pinDir, ...Object.entries(globals).map(([name, value]) => `${name}=${value}`), ...entries.map((entry) => `${entry.map}:${hex(entry.key)}=${hex(entry.value)}`)];
}

/**
 * Loads `object`, attaches its programs and pins links and maps under `pinDir` (which must not hold pins yet);
 * returns what was pinned. A refusal (the verifier; EPERM where the kernel loads no LSM programs) ends the check with
 * the loader's words: what failed, the errno, the verifier's last lines and the remedy.
 */
export async function mustLoadBpf(context: Pick<CheckContext, 'system' | 'exec'>, object: string, pinDir: string, globals?: BpfGlobals, entries?: readonly BpfMapEntry[]): Promise<LoadedBpf> {
  const args = loaderArguments(object, pinDir, globals, entries);
  const result = await context.exec(await bpfLoader(context), args, { timeoutMs: 120_000 });
  mustSucceed(result, `loading ${object}`, 'Read the loader\'s message above: it names what the kernel refused and what to do.');
  return parseLoaderOutput(result.stdout);
}

/** Where a pinned link's program is attached: the kernel function (`bpf_lsm_file_open`), `?` when unknown. */
export interface BpfLinkTarget {
  id: number;
  progId: number;
  prog: string;
  target: string;
}

/**
 * What a pinned link is attached to, asked through isolab's loader (`--show`): bpftool before 7.3 prints no target
 * for an LSM link. The check ends when the pin is not a link.
 */
export async function bpfLinkTarget(context: Pick<CheckContext, 'system' | 'exec'>, pin: string): Promise<BpfLinkTarget> {
  assertIsolabPinDir(pin);
  const result = mustSucceed(await context.exec(await bpfLoader(context), ['--show', pin], { timeoutMs: 30_000 }), `reading the link pinned at ${pin}`, 'Pin a link there (a program attached by isolab-bpf-load), not a map or a program.');
  const fields = wordFields(result.stdout.trim().split(/\s+/).slice(1));
  return { id: Number(fields.id), progId: Number(fields.prog_id), prog: fields.prog ?? '', target: fields.target ?? '?' };
}

/** The pins under a pin directory (recursively), as absolute paths; none when it does not exist. */
export function bpfPinsIn(context: Pick<CheckContext, 'system'>, pinDir: string): string[] {
  assertIsolabPinDir(pinDir);
  const dir = systemPath(context, pinDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !statSync(join(dir, name)).isDirectory())
    .map((name) => join(pinDir, name))
    .sort();
}

/** A link as `bpftool -j link show` reports it (the fields the lessons read). */
export interface BpfLinkInfo {
  id: number;
  type: string;
  prog_id: number;
  attach_type?: string;
  pinned?: string[];
}

/** The kernel's BPF links (`bpftool -j link show`, with each link's pins); the check ends if bpftool cannot say. */
export async function bpfLinks(context: Pick<CheckContext, 'exec'>): Promise<BpfLinkInfo[]> {
  const result = mustSucceed(await context.exec('bpftool', ['-j', '-f', 'link', 'show'], { timeoutMs: 30_000 }), 'bpftool link show', 'Install bpftool (Debian: apt install bpftool); it needs root.');
  const links = JSON.parse(result.stdout.trim() || '[]') as BpfLinkInfo[];
  return Array.isArray(links) ? links : [];
}

/** A place for one check's build products, removed when `use` ends. */
export async function withBpfBuildDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), `isolab-bpf-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { mode: 0o700 });
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
