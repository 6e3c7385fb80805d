// The DevContainer definition: its config holds only devcontainer.json properties (containers.dev spec) with
// the values isolab needs, and every package its Dockerfile installs exists in Debian 12.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../src/env/index.js';
import { repoRoot } from './helpers/cli.js';
import { runSync } from './helpers/run.js';

const config = JSON.parse(readFileSync(join(repoRoot, '.devcontainer.json'), 'utf8'));
const dockerfile = readFileSync(join(repoRoot, 'devcontainer/Dockerfile'), 'utf8');

// The properties of the devcontainer.json reference (containers.dev/implementors/json_reference) this file uses.
const schema = {
  type: 'object',
  required: ['name', 'build', 'privileged', 'runArgs', 'postStartCommand'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    build: {
      type: 'object',
      required: ['dockerfile'],
      additionalProperties: false,
      properties: { dockerfile: { type: 'string' }, context: { type: 'string' }, args: { type: 'object' }, target: { type: 'string' } },
    },
    privileged: { type: 'boolean' },
    runArgs: { type: 'array', items: { type: 'string' } },
    remoteUser: { type: 'string' },
    containerEnv: { type: 'object', additionalProperties: { type: 'string' } },
    postCreateCommand: { type: ['string', 'array'] },
    postStartCommand: { type: ['string', 'array'] },
    customizations: { type: 'object' },
  },
};

describe('the DevContainer', () => {
  it('is a valid devcontainer.json that runs privileged with a private cgroup namespace', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(config.privileged).toBe(true);
    expect(config.runArgs).toContain('--cgroupns=private');
    // Paths in build are relative to the .devcontainer.json's folder.
    expect(existsSync(join(repoRoot, config.build.context, config.build.dockerfile))).toBe(true);
    expect(config.postStartCommand).toBe('bash devcontainer/start.sh');
    // isolab and cgroup-tool in /usr/local/bin (the container runs as root) for every terminal of the container.
    expect(config.postCreateCommand).toBe('npm ci && npm run install-commands');
  });

  it('builds from the official Node 20 image on Debian 12', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm$/m);
  });

  const packages = /apt-get install[^\n]*\n?((?:\s+[^&\n]+\\\n)+)/.exec(dockerfile)?.[1]?.split(/[\s\\]+/).filter((word) => /^[a-z0-9][a-z0-9.+-]+$/.test(word)) ?? [];
  it.skipIf(!findOnPath('apt-cache', process.env))('installs only packages Debian 12 has', () => {
    expect(packages).toEqual(expect.arrayContaining(['runc', 'busybox-static', 'iproute2', 'nftables', 'util-linux', 'cgroup-tools', 'tmux', 'bpftrace', 'bpftool', 'clang', 'llvm', 'libbpf-dev', 'gcc', 'qemu-system-x86']));
    // One apt-cache call for all: it fails if any name is unknown, and lists a Package: line for each found.
    const shown = runSync('apt-cache', ['show', '--no-all-versions', ...packages]);
    const found = new Set([...shown.stdout.matchAll(/^Package: (\S+)$/gm)].map((match) => match[1]));
    expect(packages.filter((name) => !found.has(name)), 'not Debian packages here (apt-get update first?)').toEqual([]);
    expect(shown.status).toBe(0);
  });
});
