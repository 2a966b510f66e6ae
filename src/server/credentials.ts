/**
 * The checks on an organization id and an API key given to the mock. Both end up in HTTP headers
 * (`openai-organization` on every answer, `Authorization: Bearer KEY` on every request), so a value a
 * header cannot carry would fail every request instead of once, at the start: Node refuses to send a
 * header with a newline (the HTTP server answered 500 to every request while the request log said
 * 200), and fetch's `Headers` trims surrounding spaces, so the value sent would not be the one given.
 */

// Visible ASCII, with spaces allowed inside only: what any HTTP stack sends unchanged.
const ORGANIZATION = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
// The mock reads a key as `Bearer\s+(\S+)`: a key with a space could never authenticate.
const API_KEY = /^[\x21-\x7e]+$/;

/** Why `value` cannot be an organization id, or `undefined` when it can. */
export function organizationProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && ORGANIZATION.test(value)) return undefined;
  return `expected an id of printable ASCII characters, such as org-pollbench, with no space at either end (it is sent as the openai-organization header); got ${JSON.stringify(value)}`;
}

/** Why `value` cannot be an API key, or `undefined` when it can. */
export function apiKeyProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && API_KEY.test(value)) return undefined;
  return `expected a key of printable ASCII characters and no spaces, such as sk-test (it is sent as Authorization: Bearer KEY); got ${JSON.stringify(value)}`;
}
