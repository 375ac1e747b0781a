// The provider's memory gate (providers/scim/plugin/memory-gate.ts) as plain functions: which calls wait, in which
// order they run, that one call bigger than the budget still runs (alone), and how the budget is read from the
// environment.
import { BUDGET_ENV, DEFAULT_BUDGET_BYTES, MemoryGate, SMALL_CALL_BYTES, gateFromEnv, requestWeight } from '../../providers/scim/plugin/memory-gate';

const MiB = 1024 * 1024;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Enters the gate and records when the call got its turn; `leave()` ends it. */
function call(gate: MemoryGate, weight: number, log: string[], name: string) {
  let leave: (() => void) | undefined;
  const entered = gate.enter(weight, 'k').then((turn) => {
    log.push(name);
    leave = turn.leave;
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

test('each turn says how long it waited and how many calls of its key were inside with it', async () => {
  const gate = new MemoryGate(1 * MiB);
  const first = await gate.enter(1 * MiB, 'scim_roster');
  const other = await gate.enter(100, 'scim_user');
  const second = gate.enter(1 * MiB, 'scim_roster');
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(first.facts).toEqual({ gate_wait_ms: expect.any(Number), in_flight: 1 });
  expect(other.facts.in_flight).toBe(1);
  first.leave();
  const t = await second;
  expect(t.facts.in_flight).toBe(1); // the first had left
  expect(t.facts.gate_wait_ms).toBeGreaterThanOrEqual(25);
  t.leave();
  other.leave();
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
  expect(gate.smallBytes).toBe(SMALL_CALL_BYTES);
  expect(new MemoryGate(100 * 1024).smallBytes).toBe(25 * 1024); // a tiny budget (tests) gates smaller calls
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

test(`${BUDGET_ENV} sets the budget in MiB; a wrong value leaves the default and is an error naming the variable and the fix`, () => {
  expect(gateFromEnv({}).budgetBytes).toBe(DEFAULT_BUDGET_BYTES);
  expect(gateFromEnv({ [BUDGET_ENV]: '' }).budgetBytes).toBe(DEFAULT_BUDGET_BYTES);
  expect(gateFromEnv({ [BUDGET_ENV]: '8' }).budgetBytes).toBe(8 * MiB);
  expect(gateFromEnv({ [BUDGET_ENV]: '8' }).problem).toBeUndefined();
  expect(gateFromEnv({ [BUDGET_ENV]: '0.5' }).budgetBytes).toBe(MiB / 2);
  const wrong = gateFromEnv({ [BUDGET_ENV]: 'lots' });
  expect(wrong.budgetBytes).toBe(DEFAULT_BUDGET_BYTES);
  expect(wrong.problem).toMatchObject({ severity: 'error', summary: `Invalid ${BUDGET_ENV}` });
  expect(wrong.problem!.detail).toMatch(/SCIMFORM_PROVIDER_MEMORY_BUDGET_MB="lots" is not a positive number of MiB.*set it to e\.g\. 8, or unset it/);
  expect(gateFromEnv({ [BUDGET_ENV]: '-1' }).problem?.detail).toMatch(/not a positive number/);
});
