import type { Command } from 'commander';
import type { CliIO } from '../context.js';

/** Each command module exports a `register` that adds itself to the program. */
export type RegisterCommand = (program: Command, io: CliIO) => void;

export const COMMANDS: RegisterCommand[] = [];
