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

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Interface to listen on. @defaultValue `'127.0.0.1'` */
  readonly host?: string | undefined;
  /** Port; 0 picks a free one. @defaultValue 4010 */
  readonly port?: number | undefined;
  /**
   * Told of each request answered here rather than by the mock: a path outside its base URL (a 404), a
   * method `fetch` cannot carry (a 405), a body over the limit (a 413). The mock never sees these, so
   * its observers do not either; `serve` logs them through this.
   */
  readonly onOutsideApi?: ((answered: OutsideApiAnswer) => void) | undefined;
}

/** A request {@link startHttpServer} answered without the mock. */
export interface OutsideApiAnswer {
  readonly method: string;
  /** The path as sent, with no query. */
  readonly path: string;
  readonly status: number;
}

/**
 * Serves a mock over real HTTP with `node:http`: a thin adapter over the same msw handlers (the
 * `@mswjs/http-middleware` package does not work with msw 3). Incoming paths are rewritten onto the
 * mock's base URL, so any client in any language can point its base URL at this server.
 */
export async function startHttpServer(
  mock: MockOpenAI,
  options: HttpServerOptions = {},
): Promise<MockHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const origin = new URL(mock.baseURL).origin;
  const server = createServer((req, res) => {
    handle(mock, origin, req, res, options.onOutsideApi).catch(() => {
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
  onOutsideApi: HttpServerOptions['onOutsideApi'],
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = targetOf(origin, req.url ?? '/');
  const answerHere = (status: number, body: unknown) => {
    send(res, status, body, {});
    onOutsideApi?.({ method, path: url.pathname, status });
  };
  const limit = req.headers['content-type']?.startsWith('multipart/form-data')
    ? mock.core.maxUploadBytes
    : mock.core.maxBodyBytes;
  const body = await readBody(req, limit);
  if (body === 'too-large') {
    answerHere(413, openAIErrors.bodyTooLarge(limit).body);
    req.resume();
    return;
  }
  // `new Request` throws on these (the Fetch standard forbids them): a 405 like any other method the
  // API has no route for, not a 500.
  if (FORBIDDEN_METHODS.has(method)) {
    answerHere(405, openAIErrors.methodNotAllowed(method, url.pathname).body);
    return;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request = new Request(url, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' || body.length === 0 ? null : new Uint8Array(body),
    signal: abort.signal,
  });
  const response = await getResponse([...mock.handlers], request);
  if (response === undefined) {
    answerHere(404, openAIErrors.invalidUrl(method, url.pathname).body);
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * The mock's URL for a request target. The path is kept as sent: resolving it against the origin would
 * read `//v1/models` (a base URL with a trailing slash) as the host `v1`. A target in absolute form
 * (RFC 9112 §3.2.2, which servers must accept) keeps its path and query.
 */
function targetOf(origin: string, target: string): URL {
  if (target.startsWith('/')) return new URL(origin + target);
  try {
    const absolute = new URL(target);
    return new URL(origin + absolute.pathname + absolute.search);
  } catch {
    return new URL(`${origin}/${target}`); // `*` (OPTIONS *), or anything else no route has
  }
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
