#!/usr/bin/env node
// cgroup-tool: create, limit, watch and remove cgroups on the live kernel (v2 or v1). Node built-ins only.
import { runMain } from '../command/index.js';
import { cgroupTool } from './program.js';

await runMain(cgroupTool);
