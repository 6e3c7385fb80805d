import { describe, expect, it } from 'vitest';
import { kvmAfterTrial, type LabVmFacts, type LabVmKernel } from '../env/index.js';
import { planLabVm } from './plan.js';

const debian: LabVmKernel = {
  source: 'distribution',
  choice: 'bookworm',
  release: '6.1.0-57-amd64',
  image: '/var/cache/isolab-lanes/kernels/bookworm/vmlinuz',
  modules: '/var/cache/isolab-lanes/kernels/bookworm/root/lib/modules/6.1.0-57-amd64',
  kernelDir: '/var/cache/isolab-lanes/kernels/bookworm',
  why: "Debian 12's linux-image-amd64 (6.1.0-57-amd64)",
  bpfLsm: true,
  btf: true,
};

function facts(overrides: Partial<LabVmFacts> = {}): LabVmFacts & { kernel: LabVmKernel } {
  return {
    arch: 'x86_64',
    supported: true,
    qemu: '/usr/bin/qemu-system-x86_64',
    busybox: '/bin/busybox',
    kernel: debian,
    kernelToPrepare: 'bookworm',
    hostRelease: '6.18.44-fc-v1098',
    hostKernelUnusable: 'not in /boot',
    kvm: { device: true, trial: 'fails', detail: 'KVM fails, so TCG, slower (tried 2026-12-03T11:38:50.545Z: a trial boot with KVM failed: failed to set MSR 0x10a to 0x69)' },
    acceleration: 'tcg',
    cacheDir: '/var/cache/isolab-lanes',
    missing: [],
    canStart: true,
    ...overrides,
  } as LabVmFacts & { kernel: LabVmKernel };
}

const place = { checkout: '/home/ada/isolab', stateHome: '/home/ada/isolab/.isolab', cwd: '/home/ada/isolab/exercises' };

describe('planLabVm', () => {
  it("boots the lanes' Debian kernel by its suite, or this machine's own as host", () => {
    expect(planLabVm(facts(), place).kernel).toBe('bookworm');
    expect(planLabVm(facts({ kernel: { ...debian, source: 'host', choice: 'host', kernelDir: null, image: '/boot/vmlinuz-6.8.0-45-generic' } }), place).kernel).toBe('host');
  });

  it('shares the checkout, and the state directory too when ISOLAB_HOME puts it elsewhere', () => {
    expect(planLabVm(facts(), place).shares).toEqual(['/home/ada/isolab']);
    expect(planLabVm(facts(), { ...place, stateHome: '/tmp/isolab-home' }).shares).toEqual(['/home/ada/isolab', '/tmp/isolab-home']);
  });

  it("reads isolab's build and dependencies through the cached view", () => {
    expect(planLabVm(facts(), place).cached).toEqual(['/home/ada/isolab/dist', '/home/ada/isolab/node_modules']);
  });

  it('starts where the learner is, unless the guest hides that place under its own /tmp or /run', () => {
    expect(planLabVm(facts(), place).workdir).toBe('/home/ada/isolab/exercises');
    expect(planLabVm(facts(), { ...place, cwd: '/etc' }).workdir).toBe('/etc');
    expect(planLabVm(facts(), { ...place, cwd: '/tmp/scratch' }).workdir).toBe('/home/ada/isolab');
    expect(planLabVm(facts(), { ...place, stateHome: '/tmp/home', cwd: '/tmp/home/x' }).workdir).toBe('/tmp/home/x');
  });

  it('says which acceleration and why: a trial that failed, no device, not tried, or ISOLAB_VM_ACCEL', () => {
    expect(planLabVm(facts(), place).said.split('\n')[1]).toBe('KVM fails, so TCG, slower (tried 2026-12-03T11:38:50.545Z: a trial boot with KVM failed: failed to set MSR 0x10a to 0x69)');
    expect(planLabVm(facts({ kvm: { device: false, trial: null, detail: 'no /dev/kvm: TCG, slower' } }), place).said).toContain('no /dev/kvm: TCG, slower');
    expect(planLabVm(facts({ acceleration: 'try-kvm', kvm: { device: true, trial: null, detail: '' } }), place).accel).toBe('try-kvm');
    const forced = planLabVm(facts(), { ...place, accelOverride: 'kvm' });
    expect(forced.accel).toBe('kvm');
    expect(forced.said).toContain('KVM: ISOLAB_VM_ACCEL says so');
    expect(planLabVm(facts(), { ...place, accelOverride: 'bogus' }).accel).toBe('tcg');
  });

  it("after a trial, says the trial's outcome in doctor's words", () => {
    const untried = facts({ acceleration: 'try-kvm', kvm: { device: true, trial: null, detail: '/dev/kvm present, untried: isolab vm tries it first' } });
    const failed = { works: false, detail: 'a trial boot with KVM failed: failed to set MSR 0x10a', at: '2026-12-03T15:00:00.000Z' };
    const after = planLabVm({ ...untried, kvm: kvmAfterTrial(failed), acceleration: 'tcg' }, place);
    expect(after.accel).toBe('tcg');
    expect(after.said.split('\n')).toEqual([
      "kernel 6.1.0-57-amd64: Debian 12's linux-image-amd64 (6.1.0-57-amd64)",
      'KVM fails, so TCG, slower (tried 2026-12-03T15:00:00.000Z: a trial boot with KVM failed: failed to set MSR 0x10a)',
    ]);
    const worked = planLabVm({ ...untried, kvm: kvmAfterTrial({ ...failed, works: true, detail: 'a trial boot with KVM worked' }), acceleration: 'kvm' }, place);
    expect(worked.said.split('\n')[1]).toBe('KVM works (tried 2026-12-03T15:00:00.000Z: a trial boot with KVM worked)');
  });

  it("names the kernel and why it was chosen", () => {
    expect(planLabVm(facts(), place).said.split('\n')[0]).toBe("kernel 6.1.0-57-amd64: Debian 12's linux-image-amd64 (6.1.0-57-amd64)");
  });
});
