import { defineChecker, inNamespacesOfEach, killLabProcesses, ownNamespaceCheck, readSystemText, requireOwnNamespace, startLabProcessCalled, type CheckContext } from '../../src/kit/index.js';

const name = 'isolab-ipc';
const lab = { name, start: `setsid -f unshare --ipc bash -c 'ipcmk -Q && exec -a ${name} sleep infinity'` };

/**
 * The message queues in /proc/sysvipc/msg. The file shows the IPC namespace of the process that reads it (not of
 * the /proc mount), which is why the lesson reads it through `nsenter -i`.
 */
function parseQueues(text: string) {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 2 && /^-?\d+$/.test(fields[0]!))
    .map((fields) => ({ key: Number(fields[0]), msqid: Number(fields[1]) }));
}

const hex = (key: number) => `0x${(key >>> 0).toString(16).padStart(8, '0')}`;

/** The queues each running candidate in an IPC namespace of its own holds (null: nsenter failed, with its error). */
async function queuesInside(context: CheckContext) {
  const own = requireOwnNamespace(context, lab, 'ipc', "Fix the IPC namespace check first: a queue made in your own namespace is everybody's.");
  const seen = await inNamespacesOfEach(context, own, ['-i'], ['cat', '/proc/sysvipc/msg']);
  return seen.map(({ pid, stdout, error }) => ({ pid, queues: stdout === undefined ? null : parseQueues(stdout), error }));
}

export default defineChecker({
  checks: [
    {
      id: 'own-ipc',
      title: `${name} runs in an IPC namespace of its own`,
      tag: 'observe',
      timeoutMs: 10_000,
      run: async (context) =>
        ownNamespaceCheck(context, lab, 'ipc', '--ipc', 'A queue it made is in your own namespace and stays there: find it with `ipcs -q` and remove it with `ipcrm -q <msqid>`.'),
    },
    {
      id: 'queue-inside',
      title: 'its namespace holds a message queue',
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context) {
        const seen = await queuesInside(context);
        const good = seen.find((entry) => (entry.queues?.length ?? 0) > 0);
        if (good) {
          return {
            pass: true,
            message: `inside pid ${good.pid}'s namespace: ${good.queues!.map((queue) => `queue ${queue.msqid} (key ${hex(queue.key)})`).join(', ')}`,
            observed: { pid: good.pid, queues: good.queues!.map((queue) => ({ key: hex(queue.key), msqid: queue.msqid })) },
          };
        }
        const first = seen[0]!;
        return first.queues === null
          ? { pass: false, message: `nsenter could not read the queues of pid ${first.pid}: ${first.error}`, observed: { pid: first.pid }, hint: 'nsenter needs root: run isolab from a root shell (`sudo -s`).' }
          : {
              pass: false,
              message: `the IPC namespace of pid ${first.pid} has no message queue`,
              observed: { pid: first.pid, queues: [] },
              hint: `Create one inside: \`nsenter -t ${first.pid} -i ipcmk -Q\`, or start the process again with \`ipcmk -Q\` before the \`exec\`.`,
            };
      },
    },
    {
      id: 'queue-hidden',
      title: "the queue is not in isolab's namespace",
      tag: 'observe',
      timeoutMs: 15_000,
      async run(context) {
        const outside = parseQueues(readSystemText(context, '/proc/sysvipc/msg'));
        const seen = (await queuesInside(context)).filter((entry) => (entry.queues?.length ?? 0) > 0);
        if (seen.length === 0) return { pass: false, message: `no ${name} namespace of its own holds a queue yet`, observed: { outside: outside.length }, hint: 'Fix the queue check first.' };
        // Key 0 is IPC_PRIVATE: such queues cannot be told apart by key, so compare the keyed ones.
        const visible = (queue: { key: number }) => queue.key !== 0 && outside.some((other) => other.key === queue.key);
        const good = seen.find((entry) => entry.queues!.every((queue) => !visible(queue)));
        if (good) {
          return {
            pass: true,
            message: `none of pid ${good.pid}'s queues (${good.queues!.map((queue) => hex(queue.key)).join(', ')}) is in /proc/sysvipc/msg outside, which lists ${outside.length}`,
            observed: { pid: good.pid, inside: good.queues!.map((queue) => hex(queue.key)), outside: outside.map((queue) => hex(queue.key)) },
          };
        }
        const first = seen[0]!;
        const both = first.queues!.filter(visible);
        return {
          pass: false,
          message: `queue key${both.length === 1 ? '' : 's'} ${both.map((queue) => hex(queue.key)).join(', ')} ${both.length === 1 ? 'is' : 'are'} visible both inside and outside`,
          observed: { pid: first.pid, both: both.map((queue) => hex(queue.key)) },
          hint: 'A queue with the same key in both namespaces was made twice, once on each side. Remove the host\'s copy (`ipcs -q` lists it, `ipcrm -q <msqid>` removes it).',
        };
      },
    },
  ],

  async cleanup(context) {
    // The last process of an IPC namespace leaving frees the namespace and every queue in it.
    await killLabProcesses(context, name);
  },

  // Step 3 of the lesson.
  async solution(context) {
    await startLabProcessCalled(context, name, 'unshare', ['--ipc', 'bash', '-c', `ipcmk -Q && exec -a ${name} sleep infinity`]);
  },
});
