import { expect, test } from 'vitest';
import type { Clock } from '../../src/core/clock.ts';
import { MockCore } from '../../src/server/mock-core.ts';

const clock: Clock = { now: () => 0, sleep: async () => {} };

/** Each client's background responses, created in `order`: their timelines and create latencies. */
function timelines(order: readonly string[]) {
  const core = new MockCore({ tier: '1', clock, seed: 5 });
  const seen = new Map<string, { doneAt: number; latencyMs: number }[]>();
  for (const client of order) {
    const answer = core.handle({
      method: 'POST',
      path: '/responses',
      authorization: 'Bearer sk-test',
      client,
      body: { model: 'gpt-4.1', input: 'hi', background: true },
    });
    const job = core.state.jobs.at(-1);
    if (answer.status !== 200 || job === undefined) throw new Error(`create failed: ${answer.status}`);
    seen.set(client, [...(seen.get(client) ?? []), { doneAt: job.terminalAt(), latencyMs: answer.delayMs }]);
  }
  return seen;
}

test("a client's n-th job and n-th create latency do not depend on how other clients' requests interleave", () => {
  const apart = timelines(['a', 'a', 'a', 'b', 'b', 'b']);
  const mixed = timelines(['b', 'a', 'b', 'b', 'a', 'a']);
  expect(mixed.get('a')).toEqual(apart.get('a'));
  expect(mixed.get('b')).toEqual(apart.get('b'));
  // Not one shared draw: the two clients' jobs differ.
  expect(apart.get('a')).not.toEqual(apart.get('b'));
});
