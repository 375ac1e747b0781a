// Runs many small async tasks with at most `limit` in flight, in order of the list; a task's failure is the
// task's business (the runner never rejects), so one failed entry never stops the others.
export async function runBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch {
        // the task records its own failure
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
