/**
 * A user mistake (missing file, bad flag): `main` prints the message alone —
 * no stack trace — and exits with `exitCode`. Anything else is a bug and keeps
 * its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
