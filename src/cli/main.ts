#!/usr/bin/env node
import { runMain } from '../command/index.js';
import { configureColor } from './output.js';
import { isolab } from './program.js';

// Before anything is printed, errors about the command line included.
configureColor({ noColor: process.argv.includes('--no-color'), env: process.env, isTTY: process.stdout.isTTY === true });
await runMain(isolab);
