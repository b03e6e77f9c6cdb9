// A command's way to end the process with a chosen exit code after printing what it wanted.

export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
