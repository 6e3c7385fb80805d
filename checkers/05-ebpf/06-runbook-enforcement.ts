/**
 * 5.6 Runbook: enforcement is blocking legitimate work. Setup compiles isolab's enforcer (enforcer/isolab-enforcer.bpf.c,
 * a BPF LSM program on file_open with a hash map of deny rules keyed by (cgroup id, inode), 4 entries at most),
 * loads it with the kit's loader, pins its link and map under /sys/fs/bpf/isolab-enforcer, and fills the map:
 * two right rules (the web cgroup may read neither the database password nor the deploy token), one wrong rule (the
 * service's cgroup may not open the service's own configuration: it was meant to deny it the deploy token), and one
 * stale rule for a batch cgroup that no longer exists. The service isolab-svc runs in its cgroup and logs the EPERM.
 *
 * The learner records the diagnosis (the program's id, the wrong rule), deletes the wrong rule with the enforcer
 * running, adds the rule that was meant, meets a full map (E2BIG) adding today's rule, and makes room by deleting
 * the stale rule, not a live one. The checks read the map and open the files from inside the cgroups.
 */
import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bpfPinRoot,
  cgroup2Dir,
  cgroup2Mount,
  cgroup2Path,
  commandJson,
  defineChecker,
  failCheck,
  killLabProcesses,
  labCgroup,
  makeCgroup2Dir,
  mustCompileBpf,
  mustLoadBpf,
  readScenarioRecord,
  removeBpfPins,
  removeCgroupEverywhere,
  removeScenarioRecord,
  runInCgroup,
  startInCgroup,
  systemPath,
  withBpfBuildDir,
  writeScenarioRecord,
  type BpfMapEntry,
  type CheckContext,
  type CheckOutcome,
  type LoadedBpf,
  type SolutionContext,
} from '../../src/kit/index.js';
import { blockedError } from '../../src/errors/index.js';
import { packageRoot, pathExists } from '../../src/system/index.js';
import { CheckFailed } from '../../src/verify/index.js';

const enforcerSource = 'checkers/05-ebpf/enforcer/isolab-enforcer.bpf.c';
const pinName = 'isolab-enforcer';
const pinDir = `${bpfPinRoot}/${pinName}`;
// The loader names each pin after its program or map.
const linkPin = `${pinDir}/isolab_enforcer`;
const rulesPin = `${pinDir}/isolab_rules`;
const serviceName = 'isolab-svc';
const labDir = '/run/isolab/enforce';
const files = {
  config: `${labDir}/isolab-svc.conf`,
  log: `${labDir}/isolab-svc.log`,
  dbPassword: `${labDir}/secrets/db-password`,
  deployToken: `${labDir}/secrets/deploy-token`,
  signingKey: `${labDir}/secrets/signing-key`,
};
type LabFile = keyof typeof files;
type Workload = 'svc' | 'web';

/** A rule as the map holds it: the cgroup's id (as BPF sees it: cgroup2Dir) and the file's inode. */
interface Rule {
  cgroup: bigint;
  inode: bigint;
}

/** A rule the runbook wants, by name: the workload's cgroup may not open the file. */
interface NamedRule {
  workload: Workload;
  file: LabFile;
}

const keptRules: NamedRule[] = [
  { workload: 'web', file: 'dbPassword' },
  { workload: 'web', file: 'deployToken' },
];
const wrongRule: NamedRule = { workload: 'svc', file: 'config' };
const meantRule: NamedRule = { workload: 'svc', file: 'deployToken' };
const newRule: NamedRule = { workload: 'web', file: 'signingKey' };
const describeRule = (rule: NamedRule) => `${rule.workload} may not open ${files[rule.file]}`;

const workloadCgroup = (context: Pick<CheckContext, 'lesson'>, workload: Workload) => `${labCgroup(context)}/${workload}`;
const fileInode = (path: string) => statSync(path, { bigint: true }).ino;

/** The rule a named rule stands for on this machine now: the cgroup's and the file's inode numbers. */
function resolve(context: CheckContext, rule: NamedRule): Rule {
  const cgroup = cgroup2Dir(context, workloadCgroup(context, rule.workload));
  const file = systemPath(context, files[rule.file]);
  if (!cgroup || !pathExists(file)) {
    failCheck({
      message: `the lab is not there: ${cgroup ? files[rule.file] : workloadCgroup(context, rule.workload)} is missing`,
      hint: `isolab start ${context.lesson.short} sets the scenario up (isolab reset ${context.lesson.short} first if it was half removed).`,
    });
  }
  return { cgroup: cgroup.id, inode: fileInode(file) };
}

const le64 = (value: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
};
const ruleKey = (rule: Rule) => Buffer.concat([le64(rule.cgroup), le64(rule.inode)]);
const sameRule = (a: Rule, b: Rule) => a.cgroup === b.cgroup && a.inode === b.inode;
/** How the lesson writes a key for bpftool: 16 bytes, `0x28 0x00 …`. */
const keyWords = (rule: Rule) => [...ruleKey(rule)].map((byte) => `0x${byte.toString(16).padStart(2, '0')}`);
const shownRule = (rule: Rule) => `{cgroup ${rule.cgroup}, inode ${rule.inode}}`;

interface DumpedEntry {
  key: string[];
}

/** The rules in the pinned map (`bpftool -j map dump`, the raw key bytes); the check ends if the map is gone. */
async function mapRules(context: CheckContext): Promise<Rule[]> {
  const dump = await commandJson<DumpedEntry[]>(context, 'bpftool', ['-j', 'map', 'dump', 'pinned', rulesPin], 30_000);
  if (dump.error !== undefined) {
    failCheck({
      message: `the enforcer's rule map cannot be read at ${rulesPin}: ${dump.error}`,
      hint: `The map is pinned there while the enforcer runs. If the pin is gone, the enforcer was taken down: isolab reset ${context.lesson.short}, isolab start ${context.lesson.short}, and repair it without removing the pins.`,
    });
  }
  return dump.value.map((entry) => {
    const bytes = Buffer.from(entry.key.map((word) => Number.parseInt(word, 16)));
    return { cgroup: bytes.readBigUInt64LE(0), inode: bytes.readBigUInt64LE(8) };
  });
}

/** Opens a file and prints `opened` or the error's code (Node's codes do not depend on the locale, cat's words do). */
const openScript = "try { require('fs').closeSync(require('fs').openSync(process.argv[1])); console.log('opened'); } catch (e) { console.log(e.code); }";

/** Whether a process in the workload's cgroup can open the file: `opened`, `EPERM`, …. */
async function openAs(context: CheckContext, workload: Workload, file: LabFile): Promise<string> {
  const result = await runInCgroup(context, cgroup2Path(context, workloadCgroup(context, workload)).dir, process.execPath, ['-e', openScript, systemPath(context, files[file])], 30_000);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return result.exitCode === 0 && last !== '' ? last : `no run (${result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`})`;
}

/** A rule the runbook wants must be in the map, and a process of its cgroup must get EPERM opening the file. */
async function checkEnforced(context: CheckContext, wanted: readonly NamedRule[], missingHint: string): Promise<CheckOutcome> {
  const rules = await mapRules(context);
  const seen: Record<string, string> = {};
  for (const rule of wanted) {
    const resolved = resolve(context, rule);
    const present = rules.some((candidate) => sameRule(candidate, resolved));
    const open = await openAs(context, rule.workload, rule.file);
    seen[describeRule(rule)] = `${present ? 'in the map' : 'not in the map'}, open: ${open}`;
    if (!present) {
      failCheck({ message: `no rule ${shownRule(resolved)} in the map: ${describeRule(rule)} is not enforced`, observed: seen, hint: `${missingHint} Its key: ${keyWords(resolved).join(' ')}.` });
    }
    if (open !== 'EPERM') {
      failCheck({
        message: `the rule ${shownRule(resolved)} is in the map, yet a process in ${workloadCgroup(context, rule.workload)} opening ${files[rule.file]} got ${open}, not EPERM`,
        observed: seen,
        hint: `The map is only read by the attached program: bpftool link show pinned ${linkPin} must show it. If enforcement was taken down, isolab reset ${context.lesson.short} and start again.`,
      });
    }
  }
  return { pass: true, message: `enforced: ${wanted.map(describeRule).join('; ')} (EPERM from inside the cgroup)`, observed: seen };
}

async function checkServiceReadsConfig(context: CheckContext): Promise<CheckOutcome> {
  const wrong = resolve(context, wrongRule);
  const open = await openAs(context, 'svc', 'config');
  const stillThere = (await mapRules(context)).some((rule) => sameRule(rule, wrong));
  const observed = { open, wrongRuleInMap: stillThere };
  if (open === 'opened' && !stillThere) return { pass: true, message: `a process in ${workloadCgroup(context, 'svc')} opens ${files.config}`, observed };
  return {
    pass: false,
    message: `a process in ${workloadCgroup(context, 'svc')} opening ${files.config} gets ${open}`,
    observed,
    hint: stillThere
      ? `A rule in ${rulesPin} names that cgroup and that file's inode: find it in bpftool map dump pinned ${rulesPin} (stat -c %i gives inode numbers), record it, and delete it with bpftool map delete pinned ${rulesPin} key … (the key's 16 bytes).`
      : `The wrong rule is gone, but the open still fails: is ${files.config} there (isolab reset ${context.lesson.short} restores the scenario)?`,
  };
}

interface PinnedIds {
  link: number;
  prog: number;
  map: number;
}

/** The ids of the pinned link, its program and the map, as bpftool reports them; undefined where a pin is gone. */
async function pinnedIds(context: CheckContext): Promise<Partial<PinnedIds>> {
  const link = await commandJson<{ id: number; prog_id: number }>(context, 'bpftool', ['-j', 'link', 'show', 'pinned', linkPin], 30_000);
  const map = await commandJson<{ id: number }>(context, 'bpftool', ['-j', 'map', 'show', 'pinned', rulesPin], 30_000);
  return { link: link.value?.id, prog: link.value?.prog_id, map: map.value?.id };
}

async function checkSameEnforcer(context: CheckContext): Promise<CheckOutcome> {
  const record = readScenarioRecord(context);
  if (!record) return noScenario(context);
  const ids = await pinnedIds(context);
  const observed = { link: ids.link ?? null, prog: ids.prog ?? null, map: ids.map ?? null };
  const restart = `Enforcement must stay up while you repair it: isolab reset ${context.lesson.short}, isolab start ${context.lesson.short}, and change only the map's entries (bpftool map delete / update).`;
  if (ids.link === undefined || ids.map === undefined) {
    return { pass: false, message: `the enforcer is not pinned at ${ids.link === undefined ? linkPin : rulesPin} any more`, observed, hint: `Removing a link's pin detaches the program. ${restart}` };
  }
  const same = record.holds('link-id', String(ids.link)) && record.holds('enforcer-prog', String(ids.prog)) && record.holds('map-id', String(ids.map));
  if (same) return { pass: true, message: `link ${ids.link} still attaches program ${ids.prog}, with map ${ids.map}, as isolab start made them`, observed };
  return { pass: false, message: `link ${ids.link}, program ${ids.prog} and map ${ids.map} are not the ones isolab start made: the enforcer was reloaded`, observed, hint: `A reload leaves a window without enforcement and loses the rules' counters. ${restart}` };
}

/** Every cgroup id of the cgroup2 tree. */
function liveCgroupIds(context: CheckContext): Set<bigint> {
  const ids = new Set<bigint>();
  const walk = (name: string) => {
    const cgroup = cgroup2Dir(context, name);
    if (!cgroup) return; // removed while the walk went on
    ids.add(cgroup.id);
    for (const entry of readdirSync(cgroup.dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(name, entry.name));
  };
  walk('');
  return ids;
}

async function checkNoStaleRule(context: CheckContext): Promise<CheckOutcome> {
  const rules = await mapRules(context);
  const live = liveCgroupIds(context);
  const stale = rules.filter((rule) => !live.has(rule.cgroup));
  // Which rule is stale is the full map's diagnosis: the failure says how many, and how to find them.
  const observed = { rules: rules.length, stale: stale.length };
  if (rules.length === 0) return { pass: false, message: 'the rule map is empty', observed, hint: 'The runbook removes one stale rule, not every rule.' };
  if (stale.length === 0) return { pass: true, message: `each of the ${rules.length} rules names a cgroup that exists`, observed };
  return {
    pass: false,
    message: `${stale.length === 1 ? 'a rule names' : `${stale.length} rules name`} a cgroup that no longer exists`,
    observed,
    hint: `bpftool map dump pinned ${rulesPin} lists each rule's cgroup id; find ${cgroup2Mount(context).shown} -inum <id> prints nothing for a cgroup that is gone. Such a rule can never match, and takes a slot of the full map: delete it (bpftool map delete pinned ${rulesPin} key …, its two numbers as 16 bytes).`,
  };
}

function noScenario(context: CheckContext): CheckOutcome {
  const { short } = context.lesson;
  return {
    pass: false,
    message: `isolab has no record of a ${short} scenario on this machine`,
    observed: { scenario: null },
    hint: `isolab clean ${short}, isolab reset ${short} and the machine-wide isolab clean remove the scenario with its record. Run isolab start ${short}, and diagnose before you repair.`,
  };
}

/** A program id as typed: `42`, `prog 42`, `42: lsm name isolab_enforcer`. */
const normalId = (answer: string) => /^\D*?(\d+)/.exec(answer)?.[1] ?? answer.trim();

/**
 * A rule as a learner may copy it: `<cgroup> <inode>` in decimal (any separators, bpftool's formatted
 * `{"cgroup": 40, "inode": 6}` too), or the key's 16 bytes in hex as `bpftool -j map dump` prints them.
 */
function normalRule(answer: string): string {
  const words = answer.split(/[\s,[\]"]+/).filter(Boolean);
  if (words.length === 16 && words.every((word) => /^(0x)?[0-9a-f]{1,2}$/i.test(word))) {
    const bytes = Buffer.from(words.map((word) => Number.parseInt(word, 16)));
    return `${bytes.readBigUInt64LE(0)}:${bytes.readBigUInt64LE(8)}`;
  }
  const numbers = answer.match(/\d+/g) ?? [];
  return numbers.length === 2 ? `${BigInt(numbers[0]!)}:${BigInt(numbers[1]!)}` : answer.trim();
}

const questions = {
  'enforcer-prog': {
    what: "the enforcer program's id",
    normal: normalId,
    howToFind: `bpftool link show pinned ${linkPin} names the program the link attaches (prog <id>); bpftool prog show id <id> shows it.`,
  },
  'wrong-rule': {
    what: 'the rule that blocks isolab-svc (its cgroup id and inode)',
    normal: normalRule,
    howToFind: `bpftool map dump pinned ${rulesPin} lists each rule's cgroup and inode; stat -c %i gives the inode of the service's cgroup directory and of its configuration file.`,
  },
} as const;

function checkDiagnosis(context: CheckContext, key: keyof typeof questions): CheckOutcome {
  const question = questions[key];
  const { short } = context.lesson;
  const record = readScenarioRecord(context);
  if (!record) return noScenario(context);
  const answer = context.answers[key];
  const command = `isolab answer ${short} ${key} <value>`;
  if (answer === undefined) return { pass: false, message: `no answer recorded yet for ${question.what}`, observed: { answer: null }, hint: `${question.howToFind} Then record it: \`${command}\`.` };
  if (record.holds(key, question.normal(answer))) return { pass: true, message: `"${answer}" is ${question.what} in the scenario isolab start made`, observed: { answer } };
  return {
    pass: false,
    message: `"${answer}" is not ${question.what} in the scenario isolab start made`,
    observed: { answer },
    hint: `${question.howToFind} After isolab start ${short} again, the ids are new. Then \`${command}\`.`,
  };
}

// The service: reads its configuration every 2 s and logs a line whenever the outcome changes, as a daemon would.
const serviceScript = [
  'last=',
  'while :; do',
  `  if out=$(cat ${files.config} 2>&1); then now='loaded its configuration'; else now="cannot load its configuration: $out"; fi`,
  `  [ "$now" = "$last" ] || echo "$(date -u +%FT%TZ) isolab-svc[$$]: $now" >> ${files.log}`,
  '  last=$now',
  '  sleep 2',
  'done',
].join('\n');

function writeLabFiles(context: CheckContext): void {
  mkdirSync(systemPath(context, `${labDir}/secrets`), { recursive: true, mode: 0o700 });
  const content: Record<Exclude<LabFile, 'log'>, string> = {
    config: 'listen = 127.0.0.1:8080\nworkers = 2\n',
    dbPassword: 'isolab-lab-db-password\n',
    deployToken: 'isolab-lab-deploy-token\n',
    signingKey: 'isolab-lab-signing-key\n',
  };
  for (const [file, text] of Object.entries(content)) writeFileSync(systemPath(context, files[file as LabFile]), text, { mode: 0o600 });
}

/** The lab's cgroups in the cgroup2 tree, and the id of a batch cgroup made and removed at once: a stale id. */
function makeCgroups(context: CheckContext): bigint {
  for (const workload of ['svc', 'web'] as const) makeCgroup2Dir(context, workloadCgroup(context, workload));
  const batch = makeCgroup2Dir(context, `${labCgroup(context)}/batch-${Date.now().toString(36)}`);
  rmdirSync(batch.dir);
  return batch.id;
}

const entry = (rule: Rule): BpfMapEntry => ({ map: 'isolab_rules', key: ruleKey(rule), value: new Uint8Array(8) });

async function removeLab(context: CheckContext): Promise<void> {
  await killLabProcesses(context, serviceName);
  // The link's pin is the only reference once the loader has exited: removing it detaches the program.
  removeBpfPins(context, pinName);
  await removeCgroupEverywhere(context, labCgroup(context));
  rmSync(systemPath(context, labDir), { recursive: true, force: true });
  removeScenarioRecord(context);
}

/** The awk program of the lesson's step 3: each number on a line becomes its 8 bytes, lowest first. */
const bytesProgram = '{ n = $1; for (i = 0; i < 8; i++) { printf "%d ", n % 256; n = int(n / 256) } }';

/** A rule's key as the lesson makes it: `stat -c %i <cgroup dir> <file> | awk "$bytes"` (or the numbers printed). */
async function keyAsTyped(context: CheckContext, rule: NamedRule | Rule): Promise<string[]> {
  const numbers = 'workload' in rule ? ['stat -c %i "$1" "$2"', cgroup2Path(context, workloadCgroup(context, rule.workload)).shown, files[rule.file]] : ['printf "%s\\n" "$1" "$2"', String(rule.cgroup), String(rule.inode)];
  const result = await context.exec('sh', ['-c', `${numbers[0]} | awk "$3"`, 'sh', numbers[1]!, numbers[2]!, bytesProgram], { timeoutMs: 30_000 });
  const words = result.stdout.trim().split(/\s+/);
  if (result.exitCode !== 0 || words.length !== 16) throw new Error(`the lesson's key for ${JSON.stringify(rule, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))} is "${result.stdout.trim()}": ${result.stderr.trim()}`);
  return words;
}

/** A map change as the lesson types it, the enforcer running throughout: bpftool with the key's bytes. */
async function bpftoolMap(context: CheckContext, verb: 'update' | 'delete', rule: NamedRule | Rule): Promise<{ exitCode: number | null; stderr: string }> {
  const args = ['map', verb, 'pinned', rulesPin, 'key', ...(await keyAsTyped(context, rule)), ...(verb === 'update' ? ['value', ...Array<string>(8).fill('0')] : [])];
  return context.exec('bpftool', args, { timeoutMs: 30_000 });
}

async function mustChangeMap(context: CheckContext, verb: 'update' | 'delete', rule: NamedRule | Rule): Promise<void> {
  const result = await bpftoolMap(context, verb, rule);
  if (result.exitCode !== 0) throw new Error(`bpftool map ${verb}: ${result.stderr.trim()}`);
}

async function diagnose(context: SolutionContext): Promise<void> {
  const ids = await pinnedIds(context);
  if (ids.prog === undefined) throw new Error(`no link pinned at ${linkPin}`);
  await context.answer('enforcer-prog', String(ids.prog));
  const wrong = resolve(context, wrongRule);
  await context.answer('wrong-rule', `${wrong.cgroup} ${wrong.inode}`);
}

/** Deletes the wrong rule and puts in the one that was meant: the map is full again. */
async function replaceWrongRule(context: CheckContext): Promise<void> {
  await mustChangeMap(context, 'delete', wrongRule);
  await mustChangeMap(context, 'update', meantRule);
}

/** Today's rule meets the full map (E2BIG); the rule whose cgroup is gone makes room. */
async function addNewRuleMakingRoom(context: CheckContext): Promise<void> {
  const added = await bpftoolMap(context, 'update', newRule);
  if (added.exitCode === 0) throw new Error('the map was not full: the scenario lost its point');
  const live = liveCgroupIds(context);
  for (const rule of await mapRules(context)) if (!live.has(rule.cgroup)) await mustChangeMap(context, 'delete', rule);
  await mustChangeMap(context, 'update', newRule);
}

/** Compiles the enforcer for this kernel, loads it with the rules in its map, pins its link and map. */
function loadEnforcer(context: CheckContext, rules: readonly Rule[]): Promise<LoadedBpf> {
  return withBpfBuildDir(async (dir) => {
    const object = join(dir, 'isolab-enforcer.bpf.o');
    await mustCompileBpf(context, join(packageRoot(), enforcerSource), object);
    return mustLoadBpf(context, object, pinDir, {}, rules.map(entry));
  });
}

/** The scenario: the lab's files and cgroups, the enforcer loaded with its four rules, the service refused. */
async function breakLab(context: CheckContext): Promise<void> {
  writeLabFiles(context);
  const staleCgroup = makeCgroups(context);
  const wrong = resolve(context, wrongRule);
  const rules = [...keptRules.map((rule) => resolve(context, rule)), wrong, { cgroup: staleCgroup, inode: fileInode(systemPath(context, files.dbPassword)) }];
  const loaded = await loadEnforcer(context, rules);
  const link = loaded.links[0];
  const map = loaded.maps.find((candidate) => candidate.name === 'isolab_rules');
  if (!link || !map) throw new Error(`the loader pinned no link or no rule map: ${JSON.stringify(loaded)}`);
  writeScenarioRecord(context, { 'enforcer-prog': String(link.progId), 'link-id': String(link.id), 'map-id': String(map.id), 'wrong-rule': `${wrong.cgroup}:${wrong.inode}` });
  await startInCgroup(context, cgroup2Path(context, workloadCgroup(context, 'svc')).dir, serviceName, 'bash', ['-c', serviceScript]);
}

export default defineChecker({
  checks: [
    { id: 'enforcer-prog', title: "the diagnosis names the enforcer program's id", tag: 'observe', run: async (context) => checkDiagnosis(context, 'enforcer-prog') },
    { id: 'wrong-rule', title: 'the diagnosis names the rule that blocks isolab-svc', tag: 'observe', run: async (context) => checkDiagnosis(context, 'wrong-rule') },
    { id: 'service-reads-config', title: 'isolab-svc can open its configuration again', tag: 'experiment', timeoutMs: 60_000, run: checkServiceReadsConfig },
    {
      id: 'rules-hold',
      title: 'the right rules still deny web the database password and the deploy token',
      tag: 'experiment',
      timeoutMs: 90_000,
      run: (context) => checkEnforced(context, keptRules, 'The runbook removes one wrong rule and keeps the others: put it back with bpftool map update (value 0 0 0 0 0 0 0 0).'),
    },
    { id: 'same-enforcer', title: 'enforcement never stopped: the same link, program and map as isolab start made', tag: 'observe', timeoutMs: 60_000, run: checkSameEnforcer },
    {
      id: 'meant-rule',
      title: 'the rule that was meant is in: svc may not open the deploy token',
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) => checkEnforced(context, [meantRule], 'Add the rule the wrong one was meant to be: bpftool map update pinned … key … value 0 0 0 0 0 0 0 0.'),
    },
    {
      id: 'new-rule',
      title: "today's rule is in: web may not open the signing key",
      tag: 'experiment',
      timeoutMs: 60_000,
      run: (context) => checkEnforced(context, [newRule], 'Add it with bpftool map update; when the map is full (Argument list too long), make room first by deleting the rule whose cgroup no longer exists.'),
    },
    { id: 'no-stale-rule', title: 'no rule names a cgroup that no longer exists', tag: 'observe', timeoutMs: 60_000, run: checkNoStaleRule },
  ],

  async setup(context) {
    await removeLab(context);
    try {
      await breakLab(context);
    } catch (error) {
      // A kernel that refuses the enforcer (no BPF LSM, no BTF) leaves no half-made lab, and `isolab start` says
      // why with the loader's words and remedy: the kit's helpers end a check, which a setup is not.
      await removeLab(context);
      if (error instanceof CheckFailed) throw blockedError(`the enforcer could not be set up: ${error.message}`, error.outcome.hint);
      throw error;
    }
  },

  cleanup: removeLab,

  // The runbook in order: diagnose and record, delete the wrong rule, add the meant one, meet E2BIG, make room.
  async solution(context) {
    await diagnose(context);
    await replaceWrongRule(context);
    await addNewRuleMakingRoom(context);
  },

  shortcuts: [
    { name: 'isolab clean 5.6 instead of the runbook', fails: ['enforcer-prog', 'wrong-rule', 'service-reads-config', 'same-enforcer'], apply: removeLab },
    {
      name: 'enforcement stopped: the pins removed, so the service reads its config',
      fails: ['rules-hold', 'same-enforcer'],
      async apply(context) {
        await diagnose(context);
        removeBpfPins(context, pinName);
      },
    },
    {
      name: 'the repair without a diagnosis, then answers guessed from the lesson text',
      fails: ['enforcer-prog', 'wrong-rule'],
      async apply(context) {
        await replaceWrongRule(context);
        await addNewRuleMakingRoom(context);
        await context.answer('enforcer-prog', '1');
        await context.answer('wrong-rule', '40 6');
      },
    },
    {
      name: 'room made by deleting a right rule instead of the stale one',
      fails: ['rules-hold', 'no-stale-rule'],
      async apply(context) {
        await diagnose(context);
        await replaceWrongRule(context);
        await mustChangeMap(context, 'delete', keptRules[0]!);
        await mustChangeMap(context, 'update', newRule);
      },
    },
    {
      name: 'the map cleared and only the new rules put in',
      fails: ['rules-hold'],
      async apply(context) {
        await diagnose(context);
        for (const rule of await mapRules(context)) await mustChangeMap(context, 'delete', rule);
        await mustChangeMap(context, 'update', meantRule);
        await mustChangeMap(context, 'update', newRule);
      },
    },
    {
      name: 'the enforcer reloaded with a fresh map holding the right rules',
      fails: ['same-enforcer'],
      async apply(context) {
        await diagnose(context);
        removeBpfPins(context, pinName);
        const rules = [...keptRules, meantRule, newRule].map((rule) => resolve(context, rule));
        await loadEnforcer(context, rules);
      },
    },
  ],
});
