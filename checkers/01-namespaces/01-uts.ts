import { hostname } from 'node:os';
import { defineChecker, killProcessesNamed, type CheckContext } from '../../src/verify/index.js';
import { compareNamespace, inNamespaces, processesCalled, notRunning, ownNamespaceCheck, startDetached, waitFor } from './lab-process.js';

const name = 'isolab-uts';
const wanted = 'isolab-box';
const start = `setsid -f unshare --uts bash -c 'hostname ${wanted} && exec -a ${name} sleep infinity'`;

/** The hostname each candidate in a UTS namespace of its own sees, read from inside with nsenter. */
async function hostnames(context: CheckContext) {
  const seen: Array<{ pid: number; hostname: string | null; error?: string }> = [];
  for (const candidate of processesCalled(context, name)) {
    if (!compareNamespace(context, candidate.pid, 'uts').own) continue;
    const result = await inNamespaces(context, candidate.pid, ['-u'], ['hostname']);
    seen.push({ pid: candidate.pid, hostname: result.stdout ?? null, ...(result.error ? { error: result.error } : {}) });
  }
  return seen;
}

export default defineChecker({
  checks: [
    {
      id: 'own-uts',
      title: `${name} runs in a UTS namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, name, 'uts', start, '--uts'),
    },
    {
      id: 'hostname',
      title: `its hostname is ${wanted}`,
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context) {
        if (processesCalled(context, name).length === 0) return notRunning(name, start);
        const seen = await hostnames(context);
        const match = seen.find((entry) => entry.hostname === wanted);
        if (match) {
          return { pass: true, message: `nsenter -t ${match.pid} -u hostname says ${wanted}`, observed: { pid: match.pid, hostname: wanted } };
        }
        if (seen.length === 0) {
          return {
            pass: false,
            message: `no ${name} process has a UTS namespace of its own, so its hostname is the host's`,
            observed: { hostnames: seen },
            hint: 'Fix the first check: the hostname can only differ in a new UTS namespace.',
          };
        }
        const first = seen[0]!;
        if (first.hostname === null) {
          return { pass: false, message: `nsenter could not read the hostname of pid ${first.pid}: ${first.error}`, observed: { hostnames: seen }, hint: 'Is the process still running? nsenter needs root: run isolab from a root shell (`sudo -s`).' };
        }
        return {
          pass: false,
          message: `inside, the hostname is ${first.hostname}, not ${wanted}`,
          observed: { hostnames: seen },
          hint:
            first.hostname === hostname()
              ? `The namespace still has the host's name (a new UTS namespace starts as a copy). Set it inside: \`nsenter -t ${first.pid} -u hostname ${wanted}\`, or start the process again with \`hostname ${wanted}\` before \`exec\`.`
              : `Set it inside: \`nsenter -t ${first.pid} -u hostname ${wanted}\`.`,
        };
      },
    },
    {
      id: 'host-untouched',
      title: "the host's hostname is unchanged",
      tag: 'observe',
      timeoutMs: 5_000,
      async run() {
        const host = hostname();
        return host === wanted
          ? {
              pass: false,
              message: `the host itself is now called ${wanted}`,
              observed: { hostname: host },
              hint: `hostname ran outside the namespace. Set the host's name back (\`hostname "$(cat /etc/hostname)"\`), and run \`hostname ${wanted}\` only inside \`unshare --uts\`.`,
            }
          : { pass: true, message: `the host is still called ${host}`, observed: { hostname: host } };
      },
    },
  ],

  async cleanup(context) {
    await killProcessesNamed(context.system, name);
  },

  // Step 3 of the lesson: a UTS namespace with its own hostname, kept alive by a marked sleep.
  async solution(context) {
    await startDetached('unshare', ['--uts', 'bash', '-c', `hostname ${wanted} && exec -a ${name} sleep infinity`]);
    await waitFor(context, `a running ${name}`, () => processesCalled(context, name)[0]);
  },
});
