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

/** Counts the characters of every string inside a prompt-like value (arrays and objects walked). */
export function countCharacters(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += countCharacters(item);
    return total;
  }
  if (value !== null && typeof value === 'object') {
    let total = 0;
    for (const [key, item] of Object.entries(value)) {
      if (
        key === 'text' ||
        key === 'content' ||
        key === 'input' ||
        key === 'instructions' ||
        typeof item === 'object'
      ) {
        total += countCharacters(item);
      }
    }
    return total;
  }
  return 0;
}
