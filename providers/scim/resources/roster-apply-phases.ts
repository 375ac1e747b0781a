// Rosters of one provider configuration applied at the same time: Terraform applies the slices of an app in
// parallel, in one provider process, and an entry whose manager is a new account of another slice can only be
// given that manager once the other slice has created it. Each roster apply announces its writing phase here;
// before setting such deferred managers it waits until every writing phase that was running has ended.
const running = new WeakMap<object, Set<Promise<void>>>();

export interface WritingPhase {
  /** Ends this roster's writing phase (idempotent). */
  end(): void;
  /** Resolves when every other writing phase of the same provider configuration, running now, has ended. */
  othersEnded(): Promise<void>;
}

/** Starts a writing phase for the provider configuration `owner` (its ScimProviderData). */
export function startWritingPhase(owner: object): WritingPhase {
  let phases = running.get(owner);
  if (!phases) running.set(owner, (phases = new Set()));
  let end!: () => void;
  const mine = new Promise<void>((resolve) => (end = resolve));
  phases.add(mine);
  const set = phases;
  return {
    end: () => {
      set.delete(mine);
      end();
    },
    othersEnded: async () => {
      await Promise.all([...set].filter((p) => p !== mine));
    },
  };
}
