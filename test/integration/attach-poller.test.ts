import OpenAI from 'openai';
import { describe, expect, test } from 'vitest';
import { simulatePoller } from '../../sim/engine.ts';
import { tierPreset } from '../../sim/presets.ts';
import { withVirtualSdk } from '../../sim/virtual-sdk.ts';
import { VirtualTime } from '../../sim/virtual-time.ts';
import { promptOf, tokensOf } from '../../sim/workloads/flows.ts';
import { TERMINAL } from '../../src/client/api-client.ts';
import { SeededOpenAI } from '../../src/client/sdk-client.ts';
import { createRandom } from '../../src/core/random.ts';
import { attachPoller } from '../../src/pollers/attach-poller.ts';
import { JobAbandoned } from '../../src/pollers/poller.ts';
import { PollerSpecError, parsePollerSpec } from '../../src/pollers/registry.ts';
import { createMockOpenAI } from '../../src/server/create-mock-openai.ts';
import { startHttpServer } from '../../src/server/http-server.ts';
import { startBatch } from '../helpers/start-batch.ts';
import { quickWallClockMock } from '../helpers/wall-clock-mock.ts';

const background = (openai: OpenAI, input: string, model = 'gpt-4.1-mini') =>
  openai.responses.create({ model, input, background: true });

describe('a poller around your own openai client', () => {
  test('fixed polls every interval and stops at the first terminal answer', async () => {
    await withVirtualSdk({ tier: '1', seed: 5 }, async ({ client, mock }) => {
      const poller = attachPoller(client, 'fixed:interval=2s', { seed: 1 });
      const created = await poller.send((openai) => background(openai, 'classify'));
      expect(created.status).toBe('queued');
      const final = await poller.waitFor(created);
      expect(TERMINAL.response.has(final.status ?? '')).toBe(true);
      // The SDK's own object comes back, with what the SDK adds to a response.
      expect(typeof final.output_text).toBe('string');

      const polls = mock.requests.filter((r) => r.route === 'responses.retrieve');
      expect(polls.length).toBeGreaterThan(1);
      expect(polls.at(-1)?.jobStatus).toBe(final.status);
      for (const poll of polls.slice(0, -1)) expect(TERMINAL.response.has(poll.jobStatus ?? '')).toBe(false);
      // Each poll 2 s after the previous answer came back (timers keep whole milliseconds).
      let answered = mock.requests.find((r) => r.route === 'responses.create')?.doneMs ?? Number.NaN;
      for (const poll of polls) {
        expect(Math.abs(poll.atMs - (answered + 2000))).toBeLessThan(1);
        answered = poll.doneMs;
      }
      // A job already ended costs no request.
      const before = mock.requests.length;
      expect(await poller.waitFor(final)).toEqual(final);
      expect(mock.requests.length).toBe(before);
    });
  });

  test("on the free tier, adaptive paces five jobs' creates and polls to the budget: no 429; fixed gets them", async () => {
    const fiveJobs = (spec: string) =>
      withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock }) => {
        const poller = attachPoller(client, spec, { tier: 'free', model: 'gpt-4.1-mini', seed: 1 });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, async (_, i) => {
            const created = await poller.send((openai) => background(openai, `file ${i}`), {
              label: 'responses.create',
            });
            return (await poller.waitFor(created)).status;
          }),
        );
        return { outcomes, limited: mock.requests.filter((r) => r.status === 429).length };
      });
    const adaptive = await fiveJobs('adaptive');
    expect(adaptive.limited).toBe(0);
    expect(adaptive.outcomes.map((o) => o.status)).toEqual(Array(5).fill('fulfilled'));

    const fixed = await fiveJobs('fixed:interval=2s');
    expect(fixed.limited).toBeGreaterThan(0);
    // What the program catches is the SDK's own error class, after the SDK's own retries.
    const reasons = fixed.outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      expect(reason).toBeInstanceOf(OpenAI.RateLimitError);
      expect((reason as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    }
  });

  test("the poller's SDK retries replace the client's, on a copy: the program's client is unchanged", async () => {
    await withVirtualSdk({ tier: '1', seed: 1 }, async ({ client }) => {
      expect(client.maxRetries).toBe(2);
      const adaptive = attachPoller(client, 'adaptive', { seed: 1 });
      expect(adaptive.openai.maxRetries).toBe(0);
      expect(adaptive.openai.baseURL).toBe(client.baseURL);
      expect(client.maxRetries).toBe(2);
      // Same retries: the very client is used.
      expect(attachPoller(client, 'fixed:retries=2', { seed: 1 }).openai).toBe(client);
      expect(
        attachPoller(client, { name: 'fixed', params: { retries: 5 } }, { seed: 1 }).openai.maxRetries,
      ).toBe(5);
    });
  });

  test("sdk waits for a run with the SDK's own runs.poll helper, and backoff for a batch and a file batch", async () => {
    await withVirtualSdk({ tier: '1', seed: 2 }, async ({ client, mock }) => {
      const sdk = attachPoller(client, 'sdk', { seed: 1 });
      const assistant = await client.beta.assistants.create({ model: 'gpt-4o-mini' });
      const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
      const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
      const finalRun = await sdk.waitFor(run);
      expect(TERMINAL.run.has(finalRun.status)).toBe(true);
      expect(finalRun.thread_id).toBe(thread.id);
      const runPolls = mock.requests.filter((r) => r.route === 'runs.retrieve');
      // The helper's immediate first retrieve, then 5 s sleeps (no openai-poll-after-ms here).
      const gaps = [mock.requests.find((r) => r.route === 'runs.create'), ...runPolls].map((r, i, all) =>
        i === 0 ? 0 : (r?.atMs ?? 0) - (all[i - 1]?.doneMs ?? 0),
      );
      expect(gaps.length).toBeGreaterThan(2);
      for (const [i, gap] of gaps.slice(1).entries())
        expect(Math.abs(gap - (i === 0 ? 0 : 5000))).toBeLessThan(1);

      const backoff = attachPoller(client, 'backoff:base=10s,cap=10m', { seed: 1 });
      const batch = await startBatch(client, backoff);
      expect(TERMINAL.batch.has((await backoff.waitFor(batch)).status)).toBe(true);

      const store = await client.vectorStores.create({ name: 'docs' });
      const doc = await client.files.create({
        file: await OpenAI.toFile(Buffer.from('text'), 'doc.txt'),
        purpose: 'assistants',
      });
      const fileBatch = await client.vectorStores.fileBatches.create(store.id, { file_ids: [doc.id] });
      const finalFileBatch = await backoff.waitFor(fileBatch);
      expect(TERMINAL.file_batch.has(finalFileBatch.status)).toBe(true);
      expect(finalFileBatch.vector_store_id).toBe(store.id);
      expect(
        mock.requests.filter((r) => r.route === 'vectorStores.fileBatches.retrieve').length,
      ).toBeGreaterThan(0);
    });
  });

  // Exact equality needs the poller's decisions not to hinge on the order of events within one virtual
  // millisecond. `backoff` draws its jitter from one stream for all of its jobs, in the order they wake;
  // when a create's answer and a poll's answer land in the same millisecond, that order follows promise
  // hops, which a program and the simulator's workload take differently. So: `backoff` without jitter on
  // several workers, and with it on one.
  test.each([
    ['adaptive', undefined],
    ['fixed:interval=3s', undefined],
    ['limiter', undefined],
    ['backoff:jitter=none', undefined],
    ['backoff', 1],
  ])(
    '%s attached to a client makes the very requests the simulator predicts for it',
    async (spec, workers) => {
      // The simulator's tier-1 study (Responses background, several workers, the SDK's retries), cut short;
      // then the same program written as a user would, with attachPoller and the real SDK, on an identical
      // mock: the same requests at the same virtual times with the same answers.
      const preset = tierPreset('1', 4);
      const config = {
        ...preset,
        trace: true,
        workload: { ...preset.workload, jobs: 40, workers: workers ?? preset.workload.workers },
      };
      const simulated = await simulatePoller(config, parsePollerSpec(spec));
      const { workload } = config;
      const time = VirtualTime.global(0);
      try {
        const mock = createMockOpenAI({
          ...config.mock,
          seed: config.seed,
          clock: time.clock,
          orderSimultaneousRequests: true,
        });
        const stream = createRandom(config.seed).stream('client:0');
        const choice = parsePollerSpec(spec);
        const openai = new SeededOpenAI(
          {
            apiKey: 'sk-client-0',
            baseURL: mock.baseURL,
            fetch: mock.fetch,
            maxRetries: choice.params.retries as number,
            defaultHeaders: { 'x-pollbench-client': 'client-0' },
          },
          stream.stream('sdk-retry'),
        );
        const poller = attachPoller(openai, choice, {
          random: stream.stream('poller'),
          limits: mock.core.limitsFor(workload.model)?.limits,
        });
        const prompt = promptOf(workload.promptChars);
        let next = 0;
        const worker = async () => {
          for (let i = next++; i < workload.jobs; i = next++) {
            try {
              const created = await poller.send((sdk) => background(sdk, prompt, workload.model), {
                label: 'responses.create',
                tokens: tokensOf(prompt.length),
              });
              await poller.waitFor(created);
            } catch (error) {
              if (!(error instanceof OpenAI.APIError || error instanceof JobAbandoned)) throw error;
            }
          }
        };
        expect(workload.arrival.kind).toBe('all-at-once');
        await time.run(Promise.all(Array.from({ length: workload.workers }, worker)));
        const shape = (r: { atMs: number; route?: string | undefined; status: number }) =>
          `${r.atMs} ${r.route} ${r.status}`;
        const expected = (simulated.trace ?? []).map(shape);
        expect(expected.length).toBeGreaterThan(workload.jobs);
        expect(mock.requests.map(shape)).toEqual(expected);
      } finally {
        time.dispose();
      }
    },
  );

  test('over loopback HTTP on the wall clock, adaptive waits for three jobs', async () => {
    const mock = quickWallClockMock(9, 50, 150);
    const server = await startHttpServer(mock, { port: 0 });
    try {
      const openai = new OpenAI({ apiKey: 'sk-test', baseURL: server.url });
      const poller = attachPoller(openai, 'adaptive:initial=20ms,min=20ms');
      const statuses = await Promise.all(
        [1, 2, 3].map(
          async (i) => (await poller.waitFor(await poller.send((o) => background(o, `${i}`)))).status,
        ),
      );
      expect(statuses).toEqual(['completed', 'completed', 'completed']);
      expect(mock.requests.filter((r) => r.route === 'responses.retrieve').length).toBeGreaterThanOrEqual(3);
    } finally {
      await server.close();
    }
  });
});

describe('a request larger than the whole token budget', () => {
  test.each(['adaptive', 'limiter'])(
    "%s sends it once the budget is full, and the program gets the SDK's RateLimitError: never a wait for ever",
    async (spec) => {
      await withVirtualSdk({ tier: 'free', seed: 1 }, async ({ client, mock, time }) => {
        const poller = attachPoller(client, spec, { tier: 'free', model: 'gpt-4.1-mini', seed: 1 });
        // A first call, so that adaptive knows the budget from its headers.
        await poller.send((openai) => background(openai, 'small'), { tokens: 10 });
        // gpt-4.1-mini on the free tier: 40,000 TPM; this one is about 50,000 tokens.
        const large = poller.send((openai) => background(openai, 'x'.repeat(200_000)), { tokens: 50_000 });
        await expect(large).rejects.toBeInstanceOf(OpenAI.RateLimitError);
        await expect(large).rejects.toThrow(/^429 Request too large/);
        expect(time.now).toBeLessThan(120_000);
        // Sent once: the answer says it can never pass, so it is not retried.
        expect(mock.requests.map((r) => [r.status, r.rejectedBy])).toEqual([
          [200, undefined],
          [429, 'tpm'],
        ]);
      });
    },
  );
});

describe('stopping a wait or a send with an AbortSignal', () => {
  // A signal that aborts at a moment of the (virtual) clock, with a reason to recognise.
  const abortAt = (ms: number) => {
    const controller = new AbortController();
    // Date is faked with the timers: this is the virtual clock.
    setTimeout(() => controller.abort(new Error(`stopped at ${ms} ms`)), ms - Date.now());
    return controller.signal;
  };

  test.each(['fixed:interval=10s', 'adaptive', 'backoff', 'sdk'])(
    '%s: the wait ends at the abort, and nothing more is sent for the job',
    async (spec) => {
      await withVirtualSdk(
        {
          tier: '1',
          seed: 2,
          latency: {
            response: { queue: { kind: 'fixed', ms: 0 }, duration: { kind: 'fixed', ms: 600_000 } },
          },
        },
        async ({ client, mock, time }) => {
          const poller = attachPoller(client, spec, { seed: 1 });
          const created = await poller.send((openai) => background(openai, 'long'));
          const at = time.now + 45_000;
          const outcome = await poller.waitFor(created, { signal: abortAt(at) }).then(
            () => 'finished',
            (error: Error) => `${error.message}, seen at ${time.now} ms`,
          );
          expect(outcome).toBe(`stopped at ${at} ms, seen at ${at} ms`);
          const polls = mock.requests.filter((r) => r.route === 'responses.retrieve');
          expect(polls.length).toBeGreaterThan(0);
          // Let the strategy's timers run out: the job's chain sends nothing after the abort.
          await new Promise((resolve) => setTimeout(resolve, 3_600_000));
          expect(mock.requests.filter((r) => r.route === 'responses.retrieve')).toEqual(polls);
          expect(polls.every((r) => r.atMs <= at)).toBe(true);
        },
      );
    },
  );

  test('on the free tier, one aborted job costs adaptive nothing: the others finish with no 429', async () => {
    await withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock, time }) => {
      const poller = attachPoller(client, 'adaptive', { seed: 1 });
      const jobs = Array.from({ length: 6 }, async (_, i) => {
        const created = await poller.send((openai) => background(openai, `file ${i}`));
        // The first job is given up soon after it starts, while the others wait for the budget.
        return (await poller.waitFor(created, i === 0 ? { signal: abortAt(time.now + 1_000) } : {})).status;
      });
      const outcomes = await Promise.allSettled(jobs);
      expect(outcomes[0]?.status).toBe('rejected');
      expect(outcomes.slice(1).map((o) => o.status)).toEqual(Array(5).fill('fulfilled'));
      expect(mock.requests.filter((r) => r.status === 429)).toEqual([]);
      // Five creates, one poll each for the five finished, and the aborted job's create only.
      const first = mock.requests[0]?.jobId;
      expect(mock.requests.filter((r) => r.jobId === first).map((r) => r.route)).toEqual([
        'responses.create',
      ]);
    });
  });

  test('a send aborted while it waits for the budget makes no call', async () => {
    await withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock, time }) => {
      const poller = attachPoller(client, 'adaptive', { seed: 1 });
      // The free tier's bucket holds three: the fourth create waits about 20 s for a slot.
      const sends = Array.from({ length: 4 }, (_, i) =>
        poller.send((openai) => background(openai, `file ${i}`), i === 3 ? { signal: abortAt(5_000) } : {}),
      );
      const outcomes = await Promise.allSettled(sends);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(time.now).toBeLessThan(6_000);
      await new Promise((resolve) => setTimeout(resolve, 120_000));
      expect(mock.requests.filter((r) => r.route === 'responses.create')).toHaveLength(3);
    });
  });

  test.each([
    ['adaptive', {}],
    ['limiter', { tier: 'free', model: 'gpt-4.1-mini' }],
  ] as const)(
    '%s: a call aborted while it waits for the budget leaves its queue and keeps no timer',
    async (spec, limits) => {
      await withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock, time }) => {
        const poller = attachPoller(client, spec, { ...limits, seed: 1 });
        // The free tier's bucket holds three: the last two creates wait for slots, 20 s and 40 s away.
        const signal = abortAt(5_000);
        const sends = Array.from({ length: 5 }, (_, i) =>
          poller.send((openai) => background(openai, `file ${i}`), i >= 3 ? { signal } : {}),
        );
        const outcomes = await Promise.allSettled(sends);
        expect(outcomes.map((o) => o.status)).toEqual([
          ...Array(3).fill('fulfilled'),
          'rejected',
          'rejected',
        ]);
        expect(time.now).toBe(5_000);
        // Nothing is left to wake the process: a program whose jobs were all aborted exits at once.
        expect(time.pendingTimers).toBe(0);
        expect(mock.requests.filter((r) => r.route === 'responses.create')).toHaveLength(3);
      });
    },
  );

  test('a queued call aborted ahead of others lets them go at their own time, unchanged', async () => {
    const sendAt = async (abortFirst: boolean) =>
      withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock }) => {
        const poller = attachPoller(client, 'adaptive', { seed: 1 });
        const sends = Array.from({ length: 5 }, (_, i) =>
          poller.send(
            (openai) => background(openai, `file ${i}`),
            abortFirst && i === 3 ? { signal: abortAt(5_000) } : {},
          ),
        );
        await Promise.allSettled(sends);
        return mock.requests.filter((r) => r.route === 'responses.create').map((r) => r.atMs);
      });
    const all = await sendAt(false);
    const without = await sendAt(true);
    // The fifth takes the slot the fourth would have had.
    expect(without).toEqual(all.slice(0, 4));
  });

  test("a send's signal reaches the call: the SDK's own retry sleep is cut short, and no retry goes out", async () => {
    await withVirtualSdk({ tier: 'free', seed: 3 }, async ({ client, mock, time }) => {
      // fixed keeps the SDK's 2 retries: the fourth create gets a 429 and the SDK sleeps ~20 s on it.
      const poller = attachPoller(client, 'fixed:interval=2s', { seed: 1 });
      const sends = Array.from({ length: 4 }, (_, i) =>
        poller.send(
          (openai, options) =>
            openai.responses.create({ model: 'gpt-4.1-mini', input: `${i}`, background: true }, options),
          i === 3 ? { signal: abortAt(5_000) } : {},
        ),
      );
      const last = await (sends[3] as Promise<unknown>).then(
        () => 'sent',
        (error: Error) => `${error.message}, seen at ${time.now} ms`,
      );
      expect(last).toBe('stopped at 5000 ms, seen at 5000 ms');
      await Promise.all(sends.slice(0, 3));
      await new Promise((resolve) => setTimeout(resolve, 120_000));
      const creates = mock.requests.filter((r) => r.route === 'responses.create');
      expect(creates.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    });
  });

  test('a signal already aborted: rejected at once, nothing sent', async () => {
    await withVirtualSdk({ tier: '1', seed: 1 }, async ({ client, mock }) => {
      const poller = attachPoller(client, 'adaptive', { seed: 1 });
      const created = await poller.send((openai) => background(openai, 'x'));
      const sent = mock.requests.length;
      const signal = AbortSignal.abort(new Error('never mind'));
      await expect(poller.waitFor(created, { signal })).rejects.toThrow('never mind');
      await expect(poller.send((openai) => background(openai, 'y'), { signal })).rejects.toThrow(
        'never mind',
      );
      expect(mock.requests.length).toBe(sent);
    });
  });
});

describe('attachPoller and its calls, given the wrong thing', () => {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });

  test.each([
    [() => attachPoller({} as OpenAI, 'fixed'), TypeError, /expected an OpenAI client/],
    [() => attachPoller(client, undefined as never), TypeError, /expected a poller spec .*; got undefined/],
    [() => attachPoller(client, 'fixd'), PollerSpecError, /unknown poller 'fixd'.*did you mean 'fixed'/],
    [() => attachPoller(client, 'fixed:interval=soon'), PollerSpecError, /fixed\.interval/],
    [() => attachPoller(client, { name: 'backoff', params: { jitter: 'some' } }), PollerSpecError, /jitter/],
    [() => attachPoller(client, 'oracle'), RangeError, /only a simulation can tell/],
    [
      () => attachPoller(client, 'sdk:lang=python'),
      RangeError,
      /lang=python, .*your openai client \(the Node SDK\)/,
    ],
    [() => attachPoller(client, 'limiter', { tier: '1' }), RangeError, /tier 1 needs a model/],
    [() => attachPoller(client, 'limiter'), RangeError, /limiter paces to the published limits/],
    [() => attachPoller(client, 'limiter', { model: 'gpt-4o' }), RangeError, /needs a tier/],
    [
      () => attachPoller(client, 'limiter', { tier: '9' as '1', model: 'x' }),
      RangeError,
      /tier: expected one of/,
    ],
    [
      () => attachPoller(client, 'limiter', { tier: 'free', model: 'gpt-5' }),
      RangeError,
      /gpt-5 has no limits in free/,
    ],
    [() => attachPoller(client, 'fixed', { seed: 1, random: createRandom(1) }), RangeError, /seed or random/],
    [
      () => attachPoller(client, 'limiter', { limits: { rpm: -5 } }),
      RangeError,
      /limits\.rpm: expected a number > 0/,
    ],
    [() => attachPoller(client, 'fixed', { seed: 1.5 }), RangeError, /seed: expected an integer/],
    [() => attachPoller(client, 'fixed', { clock: {} as never }), RangeError, /clock: expected a clock/],
  ])('%s', (attach, kind, message) => {
    expect(attach).toThrow(kind);
    expect(attach).toThrow(message);
  });

  test('waitFor names what it expected, and sends nothing', async () => {
    const poller = attachPoller(client, 'fixed', { seed: 1 });
    await expect(poller.waitFor({ object: 'chat.completion', id: 'x' } as never)).rejects.toThrow(
      /expected a job object as the SDK returns it \(object response, thread\.run, batch, vector_store\.files_batch\); got object 'chat\.completion'/,
    );
    await expect(poller.waitFor(null as never)).rejects.toThrow(/got null/);
    await expect(
      poller.waitFor({ object: 'thread.run', id: 'run_1', status: 'queued' } as never),
    ).rejects.toThrow(/thread\.run's thread_id: expected a non-empty string; got undefined/);
  });

  test('send wants the SDK call itself, unawaited', async () => {
    const poller = attachPoller(client, 'fixed', { seed: 1 });
    await expect(poller.send('responses.create' as never)).rejects.toThrow(/expected a function/);
    await expect(poller.send((() => ({ id: 'resp_1' })) as never)).rejects.toThrow(
      /the call returned a mapping; expected the SDK's call unawaited/,
    );
  });
});
