import type { CoreRequest, CoreResponse, MockCore } from './mock-core.ts';
import type { FormFields } from './routes/route.ts';

/**
 * Turns a Fetch `Request` into a {@link CoreRequest}: strips the API prefix, reads the body within the
 * size limits, and reports unreadable bodies instead of throwing.
 * @returns `undefined` when the URL is not under `apiPrefix` (the request is not for this mock).
 */
export async function toCoreRequest(
  core: MockCore,
  request: Request,
  apiPrefix: string,
): Promise<CoreRequest | undefined> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(apiPrefix)) return undefined;
  const path = url.pathname.slice(apiPrefix.length) || '/';
  const base = {
    method: request.method.toUpperCase(),
    path: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path,
    query: url.searchParams,
    authorization: request.headers.get('authorization'),
    client: request.headers.get('x-pollbench-client'),
  };
  if (request.method === 'GET' || request.method === 'HEAD' || request.body === null) return base;
  const contentType = request.headers.get('content-type') ?? '';
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (contentType.startsWith('multipart/form-data')) {
    if (declared > core.maxUploadBytes) return { ...base, bodyError: 'too-large' };
    try {
      return { ...base, form: toFormFields(await request.formData()) };
    } catch {
      return base;
    }
  }
  if (declared > core.maxBodyBytes) return { ...base, bodyError: 'too-large' };
  const text = await request.text();
  if (Buffer.byteLength(text) > core.maxBodyBytes) return { ...base, bodyError: 'too-large' };
  if (text.trim() === '') return base;
  try {
    return { ...base, body: JSON.parse(text) };
  } catch {
    return { ...base, bodyError: 'malformed-json' };
  }
}

function toFormFields(form: FormData): FormFields {
  const fields: Record<string, string> = {};
  let file: FormFields['file'];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = { name: value.name, bytes: value.size };
  }
  return { fields, file };
}

/** Builds the Fetch `Response` for a core answer (JSON body, the core's headers). */
export function toFetchResponse(answer: CoreResponse): Response {
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
}
