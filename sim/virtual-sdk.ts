import OpenAI from 'openai';
import { createMockOpenAI, type MockOpenAI } from '../src/server/create-mock-openai.ts';
import type { MockOpenAIOptions } from '../src/server/mock-options.ts';
import { type RunLimits, VirtualTime } from './virtual-time.ts';

/**
 * Runs `body` with the real `openai` SDK against a fresh mock (`fetch: mock.fetch`), the SDK's and the
 * mock's timers on one virtual clock installed on the globals with the explicit `GLOBAL_TO_FAKE`
 * list: `setTimeout` in `body` is virtual too, so hours of polling take milliseconds. Time moves only
 * when nothing is in flight. The globals are restored afterwards, whatever happens.
 *
 * For a user's own tests: the mock's `seed` fixes job durations and latencies, so a run is reproducible.
 * @param options - the mock's options (its `clock` is set here).
 * @param clientOptions - passed to `new OpenAI(…)`, e.g. `{ maxRetries: 0 }`. @defaultValue the SDK's
 * @param limits - when to give up. @defaultValue a 3-day horizon, 10 million timer events
 * @throws `SimulationStopped` past the horizon or the event budget, or when `body` waits for
 * something that never comes (never a hang); whatever `body` throws.
 */
export async function withVirtualSdk<T>(
  options: Omit<MockOpenAIOptions, 'clock'>,
  body: (ctx: { client: OpenAI; mock: MockOpenAI; time: VirtualTime }) => Promise<T>,
  clientOptions: ConstructorParameters<typeof OpenAI>[0] = {},
  limits: RunLimits = { horizonMs: 3 * 86_400_000 },
): Promise<T> {
  const time = VirtualTime.global(0);
  try {
    const mock = createMockOpenAI({ ...options, clock: time.clock });
    const client = new OpenAI({
      apiKey: 'sk-test',
      ...clientOptions,
      baseURL: mock.baseURL,
      fetch: mock.fetch,
    });
    return await time.run(body({ client, mock, time }), limits);
  } finally {
    time.dispose();
  }
}
