/**
 * Token cost charged before a request runs. The guide: "Your rate limit is calculated as the maximum of
 * `max_tokens` and the estimated number of tokens based on the character count of your request"
 * (facts §4). The rule chosen here, literally that:
 *
 *     cost = max(n × max_tokens, ceil(characters / 4))
 *
 * where `characters` counts every string in the prompt (messages' content, `input`, `instructions`), and
 * `max_tokens` is `max_completion_tokens`, `max_output_tokens` or `max_tokens`, whichever is given
 * (0 when none is). Four characters per token is OpenAI's own rule of thumb for English.
 */
export function estimateTokens(characters: number, maxTokens: number | undefined, n = 1): number {
  return Math.max(n * (maxTokens ?? 0), Math.ceil(characters / 4));
}

/**
 * Counts the characters of every string inside a prompt-like value (arrays and objects walked). The walk
 * keeps its own stack: a body nested a hundred thousand levels deep is valid JSON, and recursion would
 * overflow the call stack on it.
 */
export function countCharacters(value: unknown): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') total += next.length;
    else if (Array.isArray(next)) for (const item of next) pending.push(item);
    else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (
          key === 'text' ||
          key === 'content' ||
          key === 'input' ||
          key === 'instructions' ||
          typeof item === 'object'
        ) {
          pending.push(item);
        }
      }
    }
  }
  return total;
}
