#!/usr/bin/env node
// The `gantry` executable: builds the program from one file per verb and maps errors to exit codes.

import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
