import type { Command } from 'commander';
import type { CliIO } from '../context.js';
import { register as calendar } from './calendar.js';
import { register as config } from './config.js';
import { register as demo } from './demo.js';
import { register as fetch } from './fetch.js';
import { register as routeCommand } from './route.js';
import { register as runCommand } from './run.js';
import { registerAudit, registerCoverage, registerCurate } from './ssot.js';
import { registerQuery, registerStatus } from './inspect.js';
import { register as sandbox } from './sandbox.js';
import { register as serve } from './serve.js';
import { register as smoke } from './smoke.js';
import { register as qc } from './qc.js';

/** Each command module exports a `register` that adds itself to the program. */
export type RegisterCommand = (program: Command, io: CliIO) => void;

export const COMMANDS: RegisterCommand[] = [demo, runCommand, fetch, registerAudit, registerCurate, registerCoverage, registerQuery, registerStatus, routeCommand, calendar, sandbox, serve, smoke, qc, config];
