// The provider process's memory gate: a weighted semaphore over the calls Terraform makes at once (up to its
// -parallelism, 10 by default), weighted by the bytes of the values each request carries. A large call holds
// copies of its values (the request bytes, the decoded values, the handler's own, the encoded answer) while it
// waits on the network, so peak memory follows how many large calls overlap; the gate lets only a budget's worth of
// them in at once. A call under SMALL_CALL_BYTES never waits (a budget under 256 KiB lowers that bound to a quarter
// of it, for tests); a call bigger than the whole budget still runs, alone. The provider is one JavaScript thread:
// taking turns costs no CPU. Applies do not take turns (gatedRpc). The budget comes from
// SCIMFORM_PROVIDER_MEMORY_BUDGET_MB (Terraform passes its environment to providers). Generic: it knows no resource.
import type { Diagnostic } from './provider-definition';

/** The budget when SCIMFORM_PROVIDER_MEMORY_BUDGET_MB is not set: request bytes in calls running at once. */
export const DEFAULT_BUDGET_BYTES = 4 * 1024 * 1024;
/** Calls carrying less than this (one scim_user, a schema request) never wait and take nothing from the budget. */
export const SMALL_CALL_BYTES = 64 * 1024;
export const BUDGET_ENV = 'SCIMFORM_PROVIDER_MEMORY_BUDGET_MB';

interface Waiter {
  weight: number;
  grant: () => void;
}

/** One call's turn. */
export interface Turn {
  /** Ends the turn (idempotent). */
  leave(): void;
  /** For the call's log line: how long it waited, and how many calls with its key were inside the gate (itself included) when it got in. */
  facts: { gate_wait_ms: number; in_flight: number };
}

export class MemoryGate {
  private inUse = 0;
  private running = 0;
  private readonly queue: Waiter[] = [];
  private granting = false;
  private readonly inside = new Map<string, number>();

  constructor(readonly budgetBytes: number = DEFAULT_BUDGET_BYTES) {}

  /** Calls carrying fewer bytes than this never wait: SMALL_CALL_BYTES, or a quarter of a smaller budget. */
  get smallBytes(): number {
    return Math.min(SMALL_CALL_BYTES, this.budgetBytes / 4);
  }

  /**
   * Waits until a call of `weight` bytes fits in the budget (first come, first served), and resolves with its turn.
   * Small calls get in at once. `key` (e.g. the resource type) only groups calls in the log facts.
   */
  async enter(weight: number, key = ''): Promise<Turn> {
    const started = Date.now();
    const small = weight < this.smallBytes;
    const w = small ? 0 : Math.min(weight, this.budgetBytes);
    if (!small) {
      if (!this.queue.length && this.fits(w)) this.take(w);
      else await new Promise<void>((grant) => this.queue.push({ weight: w, grant }));
    }
    const inFlight = (this.inside.get(key) ?? 0) + 1;
    this.inside.set(key, inFlight);
    let left = false;
    return {
      facts: { gate_wait_ms: Date.now() - started, in_flight: inFlight },
      leave: () => {
        if (left) return;
        left = true;
        this.inside.set(key, this.inside.get(key)! - 1);
        if (small) return;
        this.inUse -= w;
        this.running--;
        this.grantLater();
      },
    };
  }

  /** Large calls running now, and waiting. */
  get load(): { running: number; waiting: number; bytes: number } {
    return { running: this.running, waiting: this.queue.length, bytes: this.inUse };
  }

  private fits(w: number): boolean {
    return this.running === 0 || this.inUse + w <= this.budgetBytes;
  }

  private take(w: number): void {
    this.inUse += w;
    this.running++;
  }

  /**
   * Lets the next calls in on a later turn of the event loop: the call that just ended first encodes and sends its
   * answer (synchronous work right after its handler), so its copies are gone before the next call decodes its own.
   */
  private grantLater(): void {
    if (this.granting) return;
    this.granting = true;
    setImmediate(() => {
      this.granting = false;
      while (this.queue.length && this.fits(this.queue[0]!.weight)) {
        const next = this.queue.shift()!;
        this.take(next.weight);
        next.grant();
      }
    });
  }
}

/**
 * Whether an RPC takes its turn at the gate: all but ApplyResourceChange. An apply's handler spends its time
 * waiting on the remote API at a pace of its own (its rate budget), and the applies Terraform runs at once may
 * wait for one another; holding the gate through them would serialise that waiting, not the work.
 */
export function gatedRpc(rpc: string): boolean {
  return rpc !== 'ApplyResourceChange';
}

/**
 * The gate of a provider process, its budget from SCIMFORM_PROVIDER_MEMORY_BUDGET_MB (a positive number of MiB,
 * fractions allowed). A wrong value leaves the default budget and is `problem`, an error the provider reports when
 * Terraform validates its configuration (a provider that failed to start would only say it sent no handshake).
 */
export function gateFromEnv(env: NodeJS.ProcessEnv): MemoryGate & { problem?: Diagnostic } {
  const raw = env[BUDGET_ENV];
  if (raw === undefined || raw.trim() === '') return new MemoryGate();
  const mb = Number(raw);
  if (Number.isFinite(mb) && mb > 0) return new MemoryGate(Math.round(mb * 1024 * 1024));
  return Object.assign(new MemoryGate(), {
    problem: {
      severity: 'error' as const,
      summary: `Invalid ${BUDGET_ENV}`,
      detail:
        `${BUDGET_ENV}=${JSON.stringify(raw)} is not a positive number of MiB. It bounds the request bytes of the large calls the provider ` +
        `runs at once (default ${DEFAULT_BUDGET_BYTES / 1048576}); set it to e.g. 8, or unset it.`,
    },
  });
}

/**
 * The bytes of the values a request carries: every bytes field at its top level and one level down (a
 * DynamicValue's msgpack or json, a RawState's json). Protocol-generic: it knows no message by name.
 */
export function requestWeight(req: unknown): number {
  if (!req || typeof req !== 'object') return 0;
  let bytes = 0;
  for (const v of Object.values(req as Record<string, unknown>)) {
    if (v instanceof Uint8Array) bytes += v.byteLength;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const inner of Object.values(v as Record<string, unknown>)) if (inner instanceof Uint8Array) bytes += inner.byteLength;
    }
  }
  return bytes;
}
