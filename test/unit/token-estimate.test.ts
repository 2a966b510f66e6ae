import { describe, expect, test } from 'vitest';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { countCharacters, estimateTokens } from '../../src/server/token-estimate.ts';

describe('the token estimate charged before a request runs', () => {
  test('counts the strings of a prompt, its text fields and everything nested', () => {
    const messages = [
      { role: 'system', content: 'abcd' },
      { role: 'user', content: [{ type: 'input_text', text: 'efgh' }], name: 'ignored' },
    ];
    expect(countCharacters(messages)).toBe(8);
    expect(countCharacters([['ab', ['cd']], 'e', 3, null])).toBe(5);
    expect(estimateTokens(9, undefined)).toBe(3);
    expect(estimateTokens(9, 100, 2)).toBe(200);
  });

  test('a body nested 200,000 levels deep is counted, not a stack overflow and a 500', () => {
    let input: unknown = 'abcd';
    for (let i = 0; i < 200_000; i++) input = [input];
    expect(countCharacters(input)).toBe(4);
    const { core } = createMockOpenAI({ tier: '1', seed: 1, clock: { now: () => 0, sleep: async () => {} } });
    const answer = core.handle({
      method: 'POST',
      path: '/responses',
      authorization: 'Bearer sk-test',
      body: { model: 'gpt-4.1-mini', input, background: true },
    });
    expect(answer.status).toBe(200);
  });
});
