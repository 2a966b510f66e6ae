import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createMockOpenAI, type MockOpenAI } from '../../src/server/create-mock-openai.ts';
import { type MockHttpServer, startHttpServer } from '../../src/server/http-server.ts';

describe('the same mock over real HTTP on loopback', () => {
  let mock: MockOpenAI;
  let server: MockHttpServer;
  beforeAll(async () => {
    mock = createMockOpenAI({
      limits: {
        name: 'test',
        asOf: 'n/a',
        source: 'test',
        models: { 'gpt-4o': { rpm: 10_000 }, 'gpt-3.5-turbo': { rpm: 3 } },
      },
      clock: systemClock,
      latency: {
        request: { kind: 'fixed', ms: 1 },
        run: { queue: { kind: 'fixed', ms: 10 }, duration: { kind: 'fixed', ms: 150 } },
      },
      headers: { pollAfterMs: 50 },
    });
    server = await startHttpServer(mock, { port: 0 });
  });
  afterAll(() => server.close());

  test('the real SDK runs the Assistants flow against it', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
    const run = await client.beta.threads.createAndRunPoll({
      assistant_id: assistant.id,
      thread: { messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(['completed', 'failed']).toContain(run.status);
    expect(mock.requests.some((r) => r.route === 'runs.retrieve')).toBe(true);
  });

  test('rate limits come back as OpenAI 429s with headers', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const error = await client.models
      .retrieve('gpt-3.5-turbo')
      .then(async () => {
        for (let i = 0; i < 5; i++)
          await client.chat.completions.create({
            model: 'gpt-3.5-turbo',
            messages: [{ role: 'user', content: 'x' }],
          });
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.headers?.get('x-ratelimit-limit-requests')).toBe('3');
    expect(Number(rateLimit.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  test('bad input gets OpenAI-shaped 4xx over the wire', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        body,
        headers: { authorization: 'Bearer sk-x', 'content-type': 'application/json', ...headers },
      });
    expect((await post('/chat/completions', '{nope')).status).toBe(400);
    expect((await post('/chat/completions', '{}', { authorization: '' })).status).toBe(401);
    expect((await post('/chat/completions', 'x'.repeat(2_000_000))).status).toBe(413);
    const asked = (method: string) =>
      fetch(`${server.url}/chat/completions`, { method, headers: { authorization: 'Bearer sk-x' } });
    expect((await asked('PUT')).status).toBe(405);
    // Listing stored completions is OpenAI's, not the mock's: a 404 that says which, not a 405.
    const list = await asked('GET');
    expect(list.status).toBe(404);
    expect(((await list.json()) as { error: { code: string } }).error.code).toBe('not_implemented_by_mock');
    const missing = await post('/chat/completions', '{"model":"gpt-3.5-turbo"}');
    expect(await missing.json()).toEqual({
      error: {
        message: "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'missing_required_parameter',
      },
    });
    // A malformed escape in an id is an id that names nothing, not a server error.
    const mangled = await fetch(`${server.url}/responses/%zz`, { headers: { authorization: 'Bearer sk-x' } });
    expect(mangled.status).toBe(404);
    expect(((await mangled.json()) as { error: { message: string } }).error.message).toBe(
      "No response found with id '%zz'.",
    );
  });

  /** Sends `head` as written (fetch would normalise it) and returns the status and the error message. */
  const rawRequest = async (head: string) => {
    const { port } = server.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    // `write`, not `end`: node's server drops a half-closed connection's answer.
    socket.write(`${head}\r\nHost: x\r\nAuthorization: Bearer sk-x\r\nConnection: close\r\n\r\n`);
    let text = '';
    for await (const chunk of socket) text += chunk;
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    return { status, message: /"message":"([^"]*)"/.exec(body)?.[1] };
  };

  test.each([
    // `new Request` throws on these: it was a 500.
    ['TRACE /v1/models HTTP/1.1', 405, 'Invalid method for URL (TRACE /v1/models)'],
    // Resolved against the origin, `//v1` was the host `v1`, and the 404 named a path never sent.
    ['GET //v1/models HTTP/1.1', 404, 'Invalid URL (GET //v1/models)'],
    ['GET //elsewhere.example/v1/models HTTP/1.1', 404, 'Invalid URL (GET //elsewhere.example/v1/models)'],
    // The absolute form servers must accept (RFC 9112 §3.2.2): it was a 404.
    [`GET http://127.0.0.1:1/v1/models HTTP/1.1`, 200, undefined],
    ['OPTIONS * HTTP/1.1', 404, 'Invalid URL (OPTIONS /*)'],
  ])('%s: %i', async (head, status, message) => {
    const before = mock.requests.length;
    const answer = await rawRequest(head);
    expect(answer).toEqual({ status, message });
    expect(mock.requests.length - before).toBe(status === 200 ? 1 : 0);
  });
});

describe('npm run serve', () => {
  test('prints its address, answers, and stops cleanly on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../../src/cli/serve.ts', import.meta.url));
    // A job latency flag alone (no queue) must keep the other draws' defaults: every create failed with
    // a 500 when it did not.
    // KEY=ORG splits at the first '=': the rest, '=' and all, is the organization.
    const args = [
      ...['--tier', '1', '--port', '0', '--response-duration', '2s', '--run-fail-rate', '0'],
      ...['--api-key', 'sk-test=org-a=b'],
    ];
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out);
        if (match) resolve(match[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${out}`)));
    });
    const response = await fetch(`${url}/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('openai-organization')).toBe('org-a=b');
    const created = await fetch(`${url}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', background: true }),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ object: 'response', status: 'queued' });
    const missing = await fetch(`${url}/batches`, { headers: { authorization: 'Bearer sk-test' } });
    expect(missing.status).toBe(404);
    // A base URL without /v1: the mock never sees it, and the log says so rather than nothing.
    const outside = await fetch(new URL('/models', url), { headers: { authorization: 'Bearer sk-test' } });
    expect(outside.status).toBe(404);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // One line a request: time, method, path, status, and why when it failed.
    const logged = out.split('\n').filter((line) => / (GET|POST) \//.test(line));
    expect(logged.map((line) => line.replace(/^\S+Z /, ''))).toEqual([
      'GET /v1/models 200',
      'POST /v1/responses 200',
      'GET /v1/batches 404 not_implemented_by_mock',
      "GET /models 404 not under /v1 (does the client's base URL end in /v1?)",
    ]);
  });

  /** Runs serve with `args` until it exits (a bad start must exit, never listen). */
  const failedStart = async (...args: string[]) => {
    const cli = fileURLToPath(new URL('../../src/cli/serve.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, '--quiet', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    const [code] = await once(child, 'exit');
    expect(err).not.toContain('    at ');
    return { code, err };
  };

  test.each([
    [['--port', 'eighty'], "--port: expected an integer ≥ 0; got 'eighty'"],
    [['--port', '99999'], "--port: expected a port from 0 to 65535; got '99999'"],
    [['--host', 'no-such-host.invalid', '--port', '0'], 'the host name does not resolve'],
    // Sent as a header on every answer: with a newline in it, every request was a 500 (logged as 200).
    [['--org', 'org-a\nb', '--port', '0'], '--org: expected an id of printable ASCII characters'],
    [['--org', '', '--port', '0'], '--org: expected an id of printable ASCII characters'],
    [['--api-key', 'sk-a=', '--port', '0'], "--api-key: in 'sk-a=', the organization: expected an id"],
    [['--api-key', 'sk a', '--port', '0'], "--api-key: in 'sk a', the key: expected a key of printable"],
  ])('rejects %j with exit code 2 and a message', async (args, message) => {
    const { code, err } = await failedStart(...args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  test('a port in use is a message and exit code 2, not a stack trace', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, err } = await failedStart('--port', String(port));
      expect(code).toBe(2);
      expect(err).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      taken.close();
    }
  });
});
