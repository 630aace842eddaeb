// The start-up table of `pi5` (cli/program.ts) must say what the command modules register: the stubs
// that `pi5 --help` prints are checked against the fully loaded program, so the two cannot drift.

import { describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, stubProgram } from '../../../src/cli/program.js';

describe('pi5 command table', () => {
  it('lists every command the modules register, in the same order, with the same help', async () => {
    const full = await buildProgram();
    const stubs = stubProgram();
    expect(stubs.commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
    expect(stubs.helpInformation()).toBe(full.helpInformation());
  });

  it('each entry loads exactly its own command, with its summary', async () => {
    for (const entry of COMMANDS) {
      const program = await buildProgram([entry]);
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
      expect(program.commands[0]?.description()).toBe(entry.summary);
    }
  });
});
