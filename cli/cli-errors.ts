// Errors the scimform command reports to users: a stable code users can match on, and a message that says
// what went wrong and how to fix it (never a token or password).

export class ScimformCliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Process exit code for this error (1 unless stated). */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ScimformCliError';
  }
}

export const cliError = (code: string, message: string, exitCode = 1) => new ScimformCliError(code, message, exitCode);
