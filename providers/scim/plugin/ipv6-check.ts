// A faster net.isIPv6 for the provider process. grpc-js formats every address it listens on with
// net.isIPv6(), and the first calls compile Node's large IPv6 regular expression (about 10 ms of each
// provider start on a slow machine) although we only ever listen on 127.0.0.1. Every IPv6 address
// contains ':', so a string without one is answered at once; all other inputs go to Node's check, so
// every answer is the one Node gives.
import net = require('node:net');

let installed = false;

export function installFastIpv6Check(): void {
  if (installed) return;
  installed = true;
  const nodeIsIPv6 = net.isIPv6;
  net.isIPv6 = function isIPv6(input: string): boolean {
    const text = `${input}`;
    return text.includes(':') && nodeIsIPv6(text);
  };
}
