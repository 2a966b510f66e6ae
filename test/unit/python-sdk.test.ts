import { describe, expect, test } from 'vitest';
import { ApiCallError } from '../../src/client/api-client.ts';
import { apiRequests } from '../../src/client/api-request.ts';
import { createFastClient } from '../../src/client/fast-client.ts';
import {
  python251RetryDelayMs,
  python251ShouldRetry,
  pythonRetryAfterSeconds,
  pythonRetryDelayMs,
  pythonShouldRetry,
} from '../../src/client/python-sdk.ts';
import type { SdkLang } from '../../src/client/sdk-rules.ts';
import type { Clock } from '../../src/core/clock.ts';
import { createRandom } from '../../src/core/random.ts';
import type { CoreResponse, MockCore } from '../../src/server/mock-core.ts';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe("the Python SDK's retry rules (openai-python _base_client.py)", () => {
  test('retry-after-ms first, then retry-after; a value that does not parse is skipped', () => {
    expect(pythonRetryAfterSeconds(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1.5);
    expect(pythonRetryAfterSeconds(headers({ 'retry-after-ms': 'soon', 'retry-after': '9' }))).toBe(9);
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': ' 2.5 ' }))).toBe(2.5);
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': '1e1' }))).toBe(10);
    // float('') and hexadecimal raise in Python, where Number() would give 0 and 16.
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': '' }))).toBeUndefined();
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': '0x10' }))).toBeUndefined();
    expect(pythonRetryAfterSeconds(headers({}))).toBeUndefined();
    // An overflow is an excessive delay, not the word infinity.
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': '1e400' }))).toBe(121);
    expect(pythonRetryAfterSeconds(headers({ 'retry-after': 'inf' }))).toBe(Number.POSITIVE_INFINITY);
  });

  test('a Retry-After over 120 s is not retried at all, before x-should-retry is read', () => {
    expect(pythonShouldRetry(429, headers({ 'retry-after': '120' }))).toBe(true);
    expect(pythonShouldRetry(429, headers({ 'retry-after': '121' }))).toBe(false);
    expect(pythonShouldRetry(500, headers({ 'retry-after-ms': '120001', 'x-should-retry': 'true' }))).toBe(
      false,
    );
    // Otherwise the statuses and x-should-retry as in the Node SDK.
    const statuses = [400, 404, 408, 409, 429, 503];
    expect(statuses.filter((s) => pythonShouldRetry(s, headers({})))).toEqual([408, 409, 429, 503]);
    expect(pythonShouldRetry(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
  });

  test('waits 0 < retry-after ≤ 120 s; 0, negative or absent falls back to the backoff', () => {
    const random = createRandom(1);
    expect(pythonRetryDelayMs(headers({ 'retry-after': '90' }), 2, 2, random)).toBe(90_000);
    expect(pythonRetryDelayMs(headers({ 'retry-after-ms': '120000' }), 2, 2, random)).toBe(120_000);
    for (const value of ['0', '-3', 'nan']) {
      const ms = pythonRetryDelayMs(headers({ 'retry-after': value }), 2, 2, random);
      expect(ms).toBeGreaterThan(375);
      expect(ms).toBeLessThanOrEqual(500);
    }
    const second = pythonRetryDelayMs(undefined, 1, 2, random);
    expect(second).toBeGreaterThan(750);
    expect(second).toBeLessThanOrEqual(1000);
  });
});

describe("the Python SDK's retry rules before 2.52.0 (lang=python-2.51)", () => {
  test('waits 0 < retry-after ≤ 60 s; a longer one falls back to the backoff and is still retried', () => {
    const random = createRandom(1);
    expect(python251RetryDelayMs(headers({ 'retry-after': '60' }), 2, 2, random)).toBe(60_000);
    for (const value of ['90', '150', '1e400', '0']) {
      const ms = python251RetryDelayMs(headers({ 'retry-after': value }), 2, 2, random);
      expect(ms).toBeGreaterThan(375);
      expect(ms).toBeLessThanOrEqual(500);
      expect(python251ShouldRetry(429, headers({ 'retry-after': value }))).toBe(true);
    }
    // x-should-retry still decides first.
    expect(python251ShouldRetry(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
  });
});

/** A core that answers from a script, and a clock that records each sleep and moves on by it. */
function scripted(answers: readonly Partial<CoreResponse>[]) {
  const sleeps: number[] = [];
  let now = 0;
  let sent = 0;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  const core = {
    handleOrdered: async () => {
      const answer = answers[Math.min(sent++, answers.length - 1)];
      return { status: 200, headers: {}, body: {}, delayMs: 0, ...answer };
    },
  } as unknown as MockCore;
  const client = (lang: SdkLang) =>
    createFastClient({ core, clock, retryRandom: createRandom(1), clientId: 'c', lang });
  return { client, sleeps, sent: () => sent };
}

const rateLimited = (retryAfter: string): Partial<CoreResponse> => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded', type: 'requests' } },
});
const run = (status: string, extra: Record<string, unknown> = {}) => ({
  body: { id: 'run_1', status, ...extra },
});

/** The sleeps `runs.poll` takes over these answers, by the rules of `lang`. */
async function helperSleeps(lang: SdkLang, answers: readonly Partial<CoreResponse>[]): Promise<number[]> {
  const script = scripted(answers);
  await script.client(lang).pollRun('thread_1', 'run_1');
  return script.sleeps.filter((ms) => ms > 0);
}

describe('the fast transport with lang: python', () => {
  test('waits a retry-after of 90 s that the Node SDK would replace with its backoff', async () => {
    const python = scripted([rateLimited('90'), run('completed')]);
    await python.client('python').send(apiRequests.retrieveRun('thread_1', 'run_1'));
    expect(python.sleeps.filter((ms) => ms > 0)).toEqual([90_000]);

    const node = scripted([rateLimited('90'), run('completed')]);
    await node.client('node').send(apiRequests.retrieveRun('thread_1', 'run_1'));
    const [backoff] = node.sleeps.filter((ms) => ms > 0);
    expect(backoff).toBeGreaterThan(375);
    expect(backoff).toBeLessThanOrEqual(500);
  });

  test('is built only for an SDK it knows', () => {
    const { client } = scripted([]);
    expect(() => client('ruby' as SdkLang)).toThrow(
      "createFastClient: lang: expected one of node, python, python-2.51; got 'ruby'",
    );
  });

  test('gives up at once on a retry-after over 120 s, where Node retries twice', async () => {
    const python = scripted([rateLimited('150')]);
    await expect(python.client('python').send(apiRequests.retrieveRun('thread_1', 'run_1'))).rejects.toThrow(
      ApiCallError,
    );
    expect(python.sent()).toBe(1);
    const node = scripted([rateLimited('150')]);
    await expect(node.client('node').send(apiRequests.retrieveRun('thread_1', 'run_1'))).rejects.toThrow(
      ApiCallError,
    );
    expect(node.sent()).toBe(3);
  });

  test('before 2.52 (python-2.51), a retry-after over 120 s is retried twice after the backoff, as in Node', async () => {
    const old = scripted([rateLimited('150')]);
    await expect(
      old.client('python-2.51').send(apiRequests.retrieveRun('thread_1', 'run_1')),
    ).rejects.toThrow(ApiCallError);
    expect(old.sent()).toBe(3);
    const [first, second] = old.sleeps.filter((ms) => ms > 0);
    expect(first).toBeGreaterThan(375);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThan(750);
    expect(second).toBeLessThanOrEqual(1000);
    // A retry-after of 90 s, which 3.3.1 waits, is replaced by the backoff too.
    const ninety = scripted([rateLimited('90'), run('completed')]);
    await ninety.client('python-2.51').send(apiRequests.retrieveRun('thread_1', 'run_1'));
    expect(ninety.sleeps.filter((ms) => ms > 0)[0]).toBeLessThanOrEqual(500);
  });

  test('runs.poll sleeps 1 s without a hint (Node: 5 s), and the first hint sticks', async () => {
    const plain = [run('queued'), run('in_progress'), run('completed')];
    expect(await helperSleeps('python', plain)).toEqual([1000, 1000]);
    expect(await helperSleeps('node', plain)).toEqual([5000, 5000]);
    const hinted = (ms: string) => ({ ...run('in_progress'), headers: { 'openai-poll-after-ms': ms } });
    const hints = [hinted('3000'), hinted('700'), run('completed')];
    expect(await helperSleeps('python', hints)).toEqual([3000, 3000]);
    expect(await helperSleeps('node', hints)).toEqual([3000, 700]);
  });

  test('an unknown run status is slept on (Node re-polls it at once); a file batch waits on file_counts', async () => {
    const unknown = [run('mystery'), run('completed')];
    expect(await helperSleeps('python', unknown)).toEqual([1000]);
    expect(await helperSleeps('node', unknown)).toEqual([]);

    const batch = (inProgress: number, status: string) => ({
      body: { id: 'vsfb_1', status, file_counts: { in_progress: inProgress } },
    });
    const files = scripted([batch(2, 'in_progress'), batch(0, 'completed')]);
    const last = await files.client('python').pollFileBatch('vs_1', 'vsfb_1');
    expect(last.status).toBe('completed');
    expect(files.sleeps.filter((ms) => ms > 0)).toEqual([1000]);
  });
});
