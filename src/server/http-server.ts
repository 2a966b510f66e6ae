import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getResponse } from 'msw';
import type { MockOpenAI } from './create-mock-openai.ts';
import { openAIErrors } from './errors.ts';

/** A running HTTP server in front of a mock. */
export interface MockHttpServer {
  /** `http://HOST:PORT/v1`, ready to be a client's base URL. */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections and resolves when every open one is closed. */
  close(): Promise<void>;
}

/**
 * Serves a mock over real HTTP with `node:http`: a thin adapter over the same msw handlers (the
 * `@mswjs/http-middleware` package does not work with msw 3). Incoming paths are rewritten onto the
 * mock's base URL, so any client in any language can point its base URL at this server.
 */
export async function startHttpServer(
  mock: MockOpenAI,
  options: { readonly host?: string | undefined; readonly port?: number | undefined } = {},
): Promise<MockHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const origin = new URL(mock.baseURL).origin;
  const server = createServer((req, res) => {
    handle(mock, origin, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, openAIErrors.serverError().body, {});
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${new URL(mock.baseURL).pathname}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  mock: MockOpenAI,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const limit = req.headers['content-type']?.startsWith('multipart/form-data')
    ? mock.core.maxUploadBytes
    : mock.core.maxBodyBytes;
  const body = await readBody(req, limit);
  if (body === 'too-large') {
    send(res, 413, openAIErrors.bodyTooLarge(limit).body, {});
    req.resume();
    return;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' || body.length === 0 ? null : new Uint8Array(body),
    signal: abort.signal,
  });
  const response = await getResponse([...mock.handlers], request);
  if (response === undefined) {
    send(res, 404, openAIErrors.invalidUrl(method, new URL(request.url).pathname).body, {});
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
