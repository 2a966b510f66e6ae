/** `pollbench/msw`: the mock's msw handlers, for `setupServer(...handlers)` in any test suite. */
export { createMockOpenAI, type MockOpenAI } from './server/create-mock-openai.ts';

import { createMockOpenAI, type MockOpenAI } from './server/create-mock-openai.ts';
import type { MockOpenAIOptions } from './server/mock-options.ts';

/** Just the handlers of a new mock. Keep the mock itself (`createMockOpenAI`) to see what happened. */
export function createHandlers(options: MockOpenAIOptions = {}): MockOpenAI['handlers'] {
  return createMockOpenAI(options).handlers;
}
