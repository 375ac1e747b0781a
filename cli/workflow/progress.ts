// Progress lines on stderr, one per stack event (`[proxyclick] plan: 9 to add, 0 to change, 0 to destroy`),
// so stdout stays the plan itself. Quiet when SCIMFORM_QUIET=1.

export interface Progress {
  stack(name: string, message: string): void;
  info(message: string): void;
}

export function stderrProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  const quiet = process.env.SCIMFORM_QUIET === '1';
  const write = (line: string) => {
    if (!quiet) stream.write(`${line}\n`);
  };
  return {
    stack: (name, message) => write(`[${name}] ${message}`),
    info: (message) => write(`scimform: ${message}`),
  };
}
