import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main.js';
import type { CliIO } from '../src/cli/context.js';

function leafCommands(command: Command, prefix: string[] = []): { path: string[]; command: Command }[] {
  const children = command.commands.filter((c) => c.name() !== 'help');
  if (children.length === 0) return [{ path: prefix, command }];
  return children.flatMap((child) => leafCommands(child, [...prefix, child.name()]));
}

function helpOf(path: string[]): string {
  let text = '';
  const io: CliIO = { stdout: (t) => (text += t), stderr: (t) => (text += t), env: {}, isTTY: false };
  const program = buildProgram(io);
  let target: Command = program;
  for (const name of path) target = target.commands.find((c) => c.name() === name) as Command;
  target.outputHelp();
  return text;
}

describe('every trademl command', () => {
  const commands = leafCommands(buildProgram({ stdout: () => undefined, stderr: () => undefined, env: {}, isTTY: false }));

  it('covers the DESIGN.md command-line contract', () => {
    const names = commands.map((c) => c.path.join(' '));
    for (const expected of ['demo', 'run', 'fetch', 'route', 'audit', 'curate', 'coverage', 'calendar', 'query', 'serve', 'sandbox serve', 'config check', 'status']) {
      expect(names).toContain(expected);
    }
  });

  it.each(commands.map((c) => [c.path.join(' '), c.path] as const))('`trademl %s --help` explains itself with an example', (_name, path) => {
    const help = helpOf(path);
    expect(help).toMatch(/^Usage: /m);
    expect(help).toMatch(/Example/);
    expect(help).toMatch(/\$ trademl /);
  });
});
