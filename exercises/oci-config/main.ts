// Complete: reads config.json, applies the edits named on the command line in order (your functions in edit.ts),
// and writes the file back. Usage: isolab exercise oci-config <config.json> [edits] [-- program args…]
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { addTmpfs, removeNamespace, setEnv, setHostname, setNamespace, setProcess, setReadonlyRoot } from './edit.js';
import type { NamespaceType, Spec } from './spec.js';

const usage = `usage: oci-config <config.json> [edits…] [-- program args…]
  --hostname NAME          the container's hostname (with a UTS namespace)
  --readonly, --writable   root.readonly true or false
  --tmpfs DEST[:MIB]       a tmpfs at DEST, MIB MiB (default 64)
  --ns TYPE[=PATH]         a namespace of TYPE: new, or the one at PATH
  --netns PATH             the same as --ns network=PATH
  --no-ns TYPE             no namespace of TYPE (share the host's)
  --env NAME=VALUE         set a variable in process.env
  -- PROGRAM ARGS…         process.args (and terminal off, for runc run -d)`;

const namespaceTypes = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];

class UsageError extends Error {}

function namespaceType(value: string): NamespaceType {
  if (!namespaceTypes.includes(value)) throw new UsageError(`"${value}" is not a namespace type (${namespaceTypes.join(', ')})`);
  return value as NamespaceType;
}

function run(argv: string[]): void {
  const [file, ...rest] = argv;
  if (!file || file.startsWith('-')) throw new UsageError(usage);
  let spec: Spec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (let index = 0; index < rest.length; index++) {
    const option = rest[index]!;
    const value = () => {
      const next = rest[++index];
      if (next === undefined) throw new UsageError(`${option} needs a value\n${usage}`);
      return next;
    };
    switch (option) {
      case '--':
        if (index + 1 >= rest.length) throw new UsageError('-- needs the program to run');
        setProcess(spec, rest.slice(index + 1));
        index = rest.length;
        break;
      case '--hostname':
        setHostname(spec, value());
        break;
      case '--readonly':
      case '--writable':
        setReadonlyRoot(spec, option === '--readonly');
        break;
      case '--tmpfs': {
        const [destination, size = '64'] = value().split(':');
        if (!destination?.startsWith('/') || !/^[1-9]\d*$/.test(size)) throw new UsageError(`--tmpfs wants /path or /path:MiB, e.g. /tmp:64`);
        addTmpfs(spec, destination, Number(size));
        break;
      }
      case '--ns': {
        const [type = '', path] = value().split('=');
        setNamespace(spec, namespaceType(type), path || undefined);
        break;
      }
      case '--netns':
        setNamespace(spec, 'network', value());
        break;
      case '--no-ns':
        removeNamespace(spec, namespaceType(value()));
        break;
      case '--env': {
        const pair = value();
        const equals = pair.indexOf('=');
        if (equals <= 0) throw new UsageError(`--env wants NAME=VALUE, not "${pair}"`);
        setEnv(spec, pair.slice(0, equals), pair.slice(equals + 1));
        break;
      }
      default:
        throw new UsageError(`unknown option "${option}"\n${usage}`);
    }
  }
  // A new file renamed over the old one: runc never reads half a config.json.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(spec, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

try {
  run(process.argv.slice(2));
} catch (error) {
  console.error(`oci-config: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
