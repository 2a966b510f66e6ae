import OpenAI from 'openai';
import { VirtualTime } from '../../sim/virtual-time.ts';
import { createMockOpenAI, type MockOpenAI } from '../../src/server/create-mock-openai.ts';
import type { MockOpenAIOptions } from '../../src/server/mock-options.ts';

/**
 * Runs `body` with the real SDK against `mock.fetch`, with the SDK's and the mock's timers on one
 * virtual clock installed on the globals (explicit toFake list). Restores the globals afterwards.
 */
export async function withVirtualSdk<T>(
  options: MockOpenAIOptions,
  body: (ctx: { client: OpenAI; mock: MockOpenAI; time: VirtualTime }) => Promise<T>,
  clientOptions: { maxRetries?: number } = {},
): Promise<T> {
  const time = VirtualTime.global(0);
  try {
    const mock = createMockOpenAI({ ...options, clock: time.clock });
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: mock.baseURL,
      fetch: mock.fetch,
      ...clientOptions,
    });
    return await time.run(body({ client, mock, time }), { horizonMs: 3 * 86_400_000 });
  } finally {
    time.dispose();
  }
}
