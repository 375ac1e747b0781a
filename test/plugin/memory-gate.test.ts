// The provider's memory gate (providers/scim/plugin/memory-gate.ts) as plain functions: which calls wait, in which
// order they run, that one call bigger than the budget still runs (alone), and how the budget is read from the
// environment.
import { BUDGET_ENV, DEFAULT_BUDGET_BYTES, MemoryGate, SMALL_CALL_BYTES, budgetFromEnv, requestWeight } from '../../providers/scim/plugin/memory-gate';

const MiB = 1024 * 1024;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Enters the gate and records when the call got its turn; `leave()` ends it. */
function call(gate: MemoryGate, weight: number, log: string[], name: string) {
  let leave: (() => void) | undefined;
  const entered = gate.enter(weight).then((l) => {
    log.push(name);
    leave = l;
  });
  return { entered, leave: () => leave!() };
}

test('large calls run while they fit in the budget; the others wait, first come first served', async () => {
  const gate = new MemoryGate(4 * MiB);
  const log: string[] = [];
  const a = call(gate, 2 * MiB, log, 'a');
  const b = call(gate, 2 * MiB, log, 'b');
  const c = call(gate, 1 * MiB, log, 'c');
  const d = call(gate, 1 * MiB, log, 'd');
  await Promise.all([a.entered, b.entered]);
  await turn();
  expect(log).toEqual(['a', 'b']);
  expect(gate.load).toEqual({ running: 2, waiting: 2, bytes: 4 * MiB });
  a.leave();
  a.leave(); // idempotent: frees its share once
  await Promise.all([c.entered, d.entered]);
  expect(log).toEqual(['a', 'b', 'c', 'd']);
  expect(gate.load).toEqual({ running: 3, waiting: 0, bytes: 4 * MiB });
  [b, c, d].forEach((x) => x.leave());
  await turn();
  expect(gate.load).toEqual({ running: 0, waiting: 0, bytes: 0 });
});

test('a call bigger than the budget runs alone, and a later small-enough call does not overtake a waiting one', async () => {
  const gate = new MemoryGate(4 * MiB);
  const log: string[] = [];
  const a = call(gate, 1 * MiB, log, 'a');
  const huge = call(gate, 40 * MiB, log, 'huge');
  const b = call(gate, 1 * MiB, log, 'b'); // would fit next to a, but huge came first
  await a.entered;
  await turn();
  expect(log).toEqual(['a']);
  a.leave();
  await huge.entered;
  await turn();
  expect(log).toEqual(['a', 'huge']);
  expect(gate.load.running).toBe(1);
  huge.leave();
  await b.entered;
  expect(log).toEqual(['a', 'huge', 'b']);
  b.leave();
});

test('small calls never wait and take nothing from the budget', async () => {
  const gate = new MemoryGate(1 * MiB);
  const log: string[] = [];
  const big = call(gate, 1 * MiB, log, 'big');
  await big.entered;
  const small = call(gate, SMALL_CALL_BYTES - 1, log, 'small');
  await small.entered;
  expect(log).toEqual(['big', 'small']);
  expect(gate.load).toEqual({ running: 1, waiting: 0, bytes: 1 * MiB });
  small.leave();
  big.leave();
});

test('the weight of a request is the bytes of the values it carries', () => {
  const msgpack = Buffer.alloc(1000);
  const json = new Uint8Array(300);
  expect(requestWeight({ type_name: 'scim_roster', config: { msgpack }, prior_state: { msgpack: Buffer.alloc(500) }, raw_state: { json }, prior_private: Buffer.alloc(7) })).toBe(1807);
  expect(requestWeight({ type_name: 'x', config: null })).toBe(0);
  expect(requestWeight(undefined)).toBe(0);
});

test(`${BUDGET_ENV} sets the budget in MiB; a wrong value names the variable and how to fix it`, () => {
  expect(budgetFromEnv({})).toBe(DEFAULT_BUDGET_BYTES);
  expect(budgetFromEnv({ [BUDGET_ENV]: '' })).toBe(DEFAULT_BUDGET_BYTES);
  expect(budgetFromEnv({ [BUDGET_ENV]: '8' })).toBe(8 * MiB);
  expect(budgetFromEnv({ [BUDGET_ENV]: '0.5' })).toBe(MiB / 2);
  expect(() => budgetFromEnv({ [BUDGET_ENV]: 'lots' })).toThrow(/SCIMFORM_PROVIDER_MEMORY_BUDGET_MB="lots" is not a positive number of MiB.*set it to e\.g\. 8, or unset it/);
  expect(() => budgetFromEnv({ [BUDGET_ENV]: '-1' })).toThrow(/not a positive number/);
});
