// Everything one tenant needs at request time: its profile, data, fault injector and a queue that
// runs its writes one at a time (so read-modify-write sequences never interleave).
import type { FaultInjector } from './faults';
import type { TenantStore } from './tenant-store';
import type { TenantProfile } from './tenants';

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export interface TenantContext {
  profile: TenantProfile;
  store: TenantStore;
  faults: FaultInjector;
  writes: SerialQueue;
}
