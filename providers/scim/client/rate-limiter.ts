// Token bucket shared by all concurrent calls of one client: at most `perSecond` requests per second on
// average, bursts up to `burst` requests (default one second's worth). Waiters are served in arrival order.
// With burst 1 the requests are evenly spaced, so any window of T seconds holds at most 1 + T × perSecond.
import { abortedError } from './errors';
import { sleep } from './sleep';

export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(private readonly perSecond: number, burst?: number) {
    if (!(perSecond > 0)) throw new RangeError(`requestsPerSecond must be > 0, got ${perSecond}`);
    this.capacity = Math.max(1, burst ?? perSecond);
    this.tokens = this.capacity;
    this.last = Date.now();
  }

  /** Takes one token, waiting for it when the bucket is empty. Reservations may drive the bucket negative, so later callers queue behind earlier ones. */
  async take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortedError();
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await sleep((-this.tokens / this.perSecond) * 1000, signal);
  }
}
