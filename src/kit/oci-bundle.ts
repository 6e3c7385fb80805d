import { existsSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildRootfs } from '../rootfs/index.js';
import { failCheck, type CheckContext } from '../verify/index.js';
import { deleteContainer, runcOrThrow } from './runc.js';

/** Every OCI bundle of the course lives below this directory (isolab clean removes /tmp/isolab-lab). */
export const ociLab = '/tmp/isolab-lab/oci';
export const bundleDir = (name: string) => join(ociLab, name);

/** The parts of config.json the checkers read and the solutions write; the rest is carried through. */
export interface OciSpec {
  process?: { terminal?: boolean; args?: string[]; env?: string[]; [field: string]: unknown };
  root?: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
  linux?: {
    namespaces?: Array<{ type: string; path?: string }>;
    seccomp?: { defaultAction: string; syscalls?: Array<{ names: string[]; action: string; errnoRet?: number }> };
    cgroupsPath?: string;
    resources?: { memory?: { limit?: number }; pids?: { limit: number }; [field: string]: unknown };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export function readSpec(bundle: string): OciSpec {
  return JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as OciSpec;
}

/** config.json as a learner's editor leaves it: a new file renamed over the old one. */
export function writeSpec(bundle: string, spec: OciSpec): void {
  const file = join(bundle, 'config.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(spec, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * config.json for a check; a missing file or one that is not JSON ends the check as failed, saying how to get
 * the template back (`isolab start <lesson>` when a lesson's setup makes the bundle).
 */
export function bundleSpec(bundle: string, lesson?: string): OciSpec {
  const file = join(bundle, 'config.json');
  if (!existsSync(file)) {
    const make = `\`runc spec --bundle ${bundle}\` writes the template`;
    failCheck({ message: `there is no ${file}`, observed: { config: null }, hint: lesson ? `\`isolab start ${lesson}\` makes the bundle again; or ${make}.` : `${make}.` });
  }
  try {
    return readSpec(bundle);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    failCheck({ message: `${file} is not valid JSON: ${why}`, observed: {}, hint: 'runc cannot read it either. Fix the syntax at the place named (a missing comma or quote?).' });
  }
}

/** runc's template config.json, as this machine's runc writes it (`runc spec` in a scratch directory). */
export async function runcTemplate(context: Pick<CheckContext, 'exec'>): Promise<OciSpec> {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-oci-spec-'));
  try {
    await runcOrThrow(context, ['spec', '--bundle', dir]);
    return readSpec(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A lesson's starting point: a rootfs from isolab rootfs and runc spec's config.json, each made only when
 * missing, so a learner's own edits survive `isolab start`.
 */
export async function prepareBundle(context: Pick<CheckContext, 'exec' | 'system'>, bundle: string): Promise<void> {
  if (!existsSync(join(bundle, 'rootfs/bin/busybox'))) buildRootfs(join(bundle, 'rootfs'), { force: true, env: context.system.env });
  if (!existsSync(join(bundle, 'config.json'))) await runcOrThrow(context, ['spec', '--bundle', bundle]);
}

/** Removes the containers, then the bundle directory, then the lab's oci directory once no bundle is left in it. */
export async function removeBundle(context: Pick<CheckContext, 'exec'>, bundle: string, ids: readonly string[] = []): Promise<void> {
  for (const id of ids) await deleteContainer(context, id);
  rmSync(bundle, { recursive: true, force: true });
  if (dirname(bundle) !== ociLab) return;
  try {
    rmdirSync(ociLab);
  } catch {
    // Another lesson's bundle is still there, or it is gone already.
  }
}
