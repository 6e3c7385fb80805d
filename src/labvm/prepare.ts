import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { distributionName, type LabVmFacts, type LabVmKernel } from '../env/index.js';
import { blockedError } from '../errors/index.js';

export type StartableFacts = LabVmFacts & { kernel: LabVmKernel };

/**
 * The lab VM's facts once it can start: what is missing (qemu, busybox, a kernel to boot) is installed and
 * fetched by `prepare.sh lab`, but only with the learner's consent (--yes, or a yes at the prompt). Without it,
 * a refusal that names each missing piece and its remedy.
 */
export async function readyToStart(
  facts: LabVmFacts,
  options: { yes: boolean; interactive: boolean; prepareScript: string; reread: () => LabVmFacts; say: (line: string) => void },
): Promise<StartableFacts> {
  if (isStartable(facts)) return facts;
  if (!facts.supported) throw blockedError(`a lab VM needs an x86_64 machine; this one is ${facts.arch}`, 'vm/README.md says what an arm64 host needs; until then, use a classroom VM (vm/classroom/README.md)');
  const missing = facts.missing.map((item) => `${item.what} (${item.remedy})`);
  const plan = [
    ...(facts.qemu && facts.busybox ? [] : ['install the packages it boots with (apt-get install qemu-system-x86 busybox-static cpio kmod xz-utils zstd)']),
    ...(facts.kernel ? [] : [`fetch ${distributionName(facts.kernelToPrepare)} kernel package (about 110 MB) into ${facts.cacheDir}, without installing it: ${facts.hostKernelUnusable ?? 'this machine has none to boot'}`]),
  ];
  const consent = options.yes || (options.interactive && (await ask(`isolab vm needs to:\n${plan.map((step) => `  - ${step}\n`).join('')}Go ahead? [y/N] `)));
  if (!consent) {
    throw blockedError(`a lab VM cannot start here yet: ${missing.join('; ')}`, `isolab vm --yes does it (${plan.join('; ')}); or, as root: vm/lanes/prepare.sh lab ${facts.kernelToPrepare}`);
  }
  options.say(`preparing the lab VM (vm/lanes/prepare.sh lab ${facts.kernelToPrepare})`);
  // Its progress goes to stderr, the learner's terminal; stdout stays the command's. prepare.sh makes ready the
  // kernel isolab chose (env/lab-vm.ts), never one of its own choosing.
  const prepared = spawnSync('bash', [options.prepareScript, 'lab', facts.kernelToPrepare], { stdio: ['ignore', 2, 2] });
  const again = options.reread();
  if (prepared.status !== 0 || !isStartable(again)) {
    throw blockedError(
      `vm/lanes/prepare.sh lab ${facts.kernelToPrepare} could not make the lab VM ready${again.missing.length ? `: ${again.missing.map((item) => item.what).join('; ')}` : ''}`,
      'Its messages are above; isolab doctor shows what a lab VM still lacks here.',
    );
  }
  return again;
}

function isStartable(facts: LabVmFacts): facts is StartableFacts {
  return facts.canStart && facts.kernel !== null;
}

async function ask(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
