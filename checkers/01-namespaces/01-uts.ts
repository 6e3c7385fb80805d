import { hostname } from 'node:os';
import { defineChecker, inNamespacesOfEach, killLabProcesses, ownNamespaceCheck, requireOwnNamespace, startLabProcessCalled } from '../../src/kit/index.js';

const name = 'isolab-uts';
const wanted = 'isolab-box';
const lab = { name, start: `setsid -f unshare --uts bash -c 'hostname ${wanted} && exec -a ${name} sleep infinity'` };

export default defineChecker({
  checks: [
    {
      id: 'own-uts',
      title: `${name} runs in a UTS namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) => ownNamespaceCheck(context, lab, 'uts', '--uts'),
    },
    {
      id: 'hostname',
      title: `its hostname is ${wanted}`,
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context) {
        const own = requireOwnNamespace(context, lab, 'uts', 'Fix the first check: the hostname can only differ in a new UTS namespace.');
        // The hostname each candidate sees, read from inside its UTS namespace.
        const seen = (await inNamespacesOfEach(context, own, ['-u'], ['hostname'])).map(({ pid, stdout, error }) => ({ pid, hostname: stdout ?? null, error }));
        const match = seen.find((entry) => entry.hostname === wanted);
        if (match) return { pass: true, message: `nsenter -t ${match.pid} -u hostname says ${wanted}`, observed: { pid: match.pid, hostname: wanted } };
        const first = seen[0]!;
        if (first.hostname === null) return { pass: false, message: `nsenter could not read the hostname of pid ${first.pid}: ${first.error}`, observed: { hostnames: seen }, hint: 'Is the process still running? nsenter needs root: run isolab from a root shell (`sudo -s`).' };
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
    await killLabProcesses(context, name);
  },

  // Step 3 of the lesson: a UTS namespace with its own hostname, kept alive by a marked sleep.
  async solution(context) {
    await startLabProcessCalled(context, name, 'unshare', ['--uts', 'bash', '-c', `hostname ${wanted} && exec -a ${name} sleep infinity`]);
  },
});
