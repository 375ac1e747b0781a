// The abort signals of the provider server's calls. A large plan makes tens of thousands of calls, so each
// one costs at most one AbortController, registered while it runs; StopProvider aborts them all at once
// instead of every call listening on a shared stop signal (Node 20's `AbortSignal.any` would also keep every
// combined signal alive: nodejs/node#55351). Calls the client cannot cancel share the stop signal.

/** How the transport lets a call be cancelled: it is handed a function that aborts the call. */
export type OnCancel = (abort: (reason: () => Error) => void) => void;

export class CallSignals {
  private readonly stopController = new AbortController();
  private readonly inFlight = new Set<AbortController>();

  /** Aborted by `stopAll`: what handlers outside any cancellable call get. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  /** Aborts the stop signal and every call in flight with `reason` (once; later calls do nothing). */
  stopAll(reason: () => Error): void {
    if (this.stopController.signal.aborted) return;
    const err = reason();
    this.stopController.abort(err);
    for (const c of this.inFlight) c.abort(err);
  }

  /**
   * One call's signal: its own controller when the client can cancel it (`onCancel`), else the stop signal.
   * After `release` a late cancel does nothing, and its reason (an Error costs a stack trace) is not built.
   */
  forCall(onCancel?: OnCancel): { signal: AbortSignal; release: () => void } {
    const stop = this.stopController.signal;
    if (!onCancel) return { signal: stop, release: () => undefined };
    const controller = new AbortController();
    if (stop.aborted) controller.abort(stop.reason);
    this.inFlight.add(controller);
    let done = false;
    onCancel((reason) => {
      if (!done) controller.abort(reason());
    });
    return {
      signal: controller.signal,
      release: () => {
        done = true;
        this.inFlight.delete(controller);
      },
    };
  }
}
