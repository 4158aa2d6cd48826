// `gantry proxy` as a verb: registered on a program of its own here (the lead adds it to the CLI's list).

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerProxy } from '../src/cli/proxy.js';

describe('gantry proxy verb', () => {
  it('documents its options with an example in --help', () => {
    const program = new Command('gantry').exitOverride();
    registerProxy(program);
    let help = '';
    const proxy = program.commands.find((c) => c.name() === 'proxy') as Command;
    proxy.configureOutput({ writeOut: (text) => (help += text) });
    expect(() => program.parse(['proxy', '--help'], { from: 'user' })).toThrow('(outputHelp)');
    for (const text of [
      '--admin <host:port>',
      '--metrics <host:port>',
      '--detach',
      'Example:',
      'gantry proxy --detach',
    ]) {
      expect(help).toContain(text);
    }
  });
});
