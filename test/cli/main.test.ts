/**
 * The `brook` entry point: help, version, unknown commands and user mistakes
 * give a message and an exit code, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../../src/cli/commands.ts';
import { main } from '../../src/cli/main.ts';

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), interrupted: () => Promise.resolve() };
}

describe('brook main', () => {
  it('prints help for help, --help and no command', async () => {
    for (const argv of [['help'], ['--help'], []]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(/brook build <notebook\.md/);
    }
  });

  it('prints the package version', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.stdout).toEqual([JSON.parse(readFileSync('package.json', 'utf8')).version]);
  });

  it('answers an unknown command with help and exit code 2', async () => {
    const io = capture();
    expect(await main(['biuld', 'x.md'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/unknown command "biuld"[\s\S]*Usage:/);
  });

  it('reports bad flags and missing arguments with exit code 2', async () => {
    const flag = capture();
    expect(await main(['build', 'x.md', '--outt', 'y'], flag)).toBe(2);
    expect(flag.stderr.join('\n')).toMatch(/brook build: .*--outt/);
    const missing = capture();
    expect(await main(['build'], missing)).toBe(2);
    expect(missing.stderr.join('\n')).toMatch(/usage: brook build/);
    const port = capture();
    expect(await main(['preview', '.', '--port', 'abc'], port)).toBe(2);
    expect(port.stderr.join('\n')).toMatch(/--port must be a number/);
  });

  it('reports a missing notebook with exit code 1 and no stack', async () => {
    const io = capture();
    expect(await main(['build', 'no/such/notebook.md'], io)).toBe(1);
    expect(io.stderr).toEqual(['no such notebook or directory: no/such/notebook.md']);
    const dev = capture();
    expect(await main(['dev', 'no/such.md'], dev)).toBe(1);
    expect(dev.stderr).toEqual(['notebook not found: no/such.md']);
  });

  it('refuses to preview a directory with no build in it', async () => {
    const io = capture();
    expect(await main(['preview', 'docs'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/docs has no index\.html/);
  });
});
