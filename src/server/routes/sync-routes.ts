import { openAIErrors } from '../errors.ts';
import { toUnixSeconds } from '../jobs/outcome.ts';
import { sample } from '../latency.ts';
import { countCharacters, estimateTokens } from '../token-estimate.ts';
import { plan, type Route, requiredString } from './route.ts';

/** `max_completion_tokens` / `max_output_tokens` / `max_tokens`, whichever the request gives. */
export function maxTokensOf(body: Record<string, unknown>): number | undefined {
  for (const name of ['max_completion_tokens', 'max_output_tokens', 'max_tokens']) {
    const value = body[name];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

const models: Route[] = [
  {
    id: 'models.list',
    method: 'GET',
    path: '/models',
    body: 'none',
    plan: (ctx) =>
      plan(undefined, () => ({
        body: {
          object: 'list',
          data: ctx.modelIds.map((id) => ({
            id,
            object: 'model',
            created: 1_686_935_002,
            owned_by: 'openai',
          })),
        },
      })),
  },
  {
    id: 'models.retrieve',
    method: 'GET',
    path: '/models/:model',
    body: 'none',
    plan: (ctx) => {
      const model = ctx.params.model as string;
      if (!ctx.modelExists(model)) return openAIErrors.modelNotFound(model);
      return plan(undefined, () => ({
        body: { id: model, object: 'model', created: 1_686_935_002, owned_by: 'openai' },
      }));
    },
  },
];

const chat: Route = {
  id: 'chat.completions.create',
  method: 'POST',
  path: '/chat/completions',
  body: 'json',
  plan: (ctx) => {
    const model = requiredString(ctx.body, 'model');
    if (model === undefined) return openAIErrors.missingParam('model');
    const messages = ctx.body.messages;
    if (!Array.isArray(messages)) return openAIErrors.missingParam('messages');
    if (messages.length === 0)
      return openAIErrors.invalidValue(
        'messages',
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      );
    const n = typeof ctx.body.n === 'number' ? ctx.body.n : 1;
    const tokens = estimateTokens(countCharacters(messages), maxTokensOf(ctx.body), n);
    return plan(
      model,
      () => {
        const id = ctx.state.newId('chatcmpl-', 29);
        return {
          delayMs: sample(ctx.latency.completion, ctx.nextJobRandom('completion')),
          body: {
            id,
            object: 'chat.completion',
            created: toUnixSeconds(ctx.nowMs),
            model,
            choices: Array.from({ length: n }, (_, index) => ({
              index,
              message: { role: 'assistant', content: 'YES', refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: 'stop',
            })),
            usage: { prompt_tokens: tokens, completion_tokens: n, total_tokens: tokens + n },
            service_tier: 'default',
            system_fingerprint: 'fp_pollbench',
          },
        };
      },
      { requests: 1, tokens, images: 0 },
    );
  },
};

const embeddings: Route = {
  id: 'embeddings.create',
  method: 'POST',
  path: '/embeddings',
  body: 'json',
  plan: (ctx) => {
    const model = requiredString(ctx.body, 'model');
    if (model === undefined) return openAIErrors.missingParam('model');
    const input = ctx.body.input;
    if (input === undefined || input === null) return openAIErrors.missingParam('input');
    if (typeof input !== 'string' && !Array.isArray(input))
      return openAIErrors.invalidValue('input', "Invalid 'input': expected a string or an array.");
    const inputs = Array.isArray(input) ? input : [input];
    const tokens = estimateTokens(countCharacters(inputs), undefined);
    return plan(
      model,
      () => ({
        body: {
          object: 'list',
          data: inputs.map((_, index) => ({
            object: 'embedding',
            index,
            embedding: [0.0023064255, -0.009327292, 0.015797347],
          })),
          model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        },
      }),
      { requests: 1, tokens, images: 0 },
    );
  },
};

/** Image generation: charged to the model's images-per-minute limit, one unit per image (`n`). */
const images: Route = {
  id: 'images.generate',
  method: 'POST',
  path: '/images/generations',
  body: 'json',
  plan: (ctx) => {
    const prompt = requiredString(ctx.body, 'prompt');
    if (prompt === undefined) return openAIErrors.missingParam('prompt');
    const model = typeof ctx.body.model === 'string' ? ctx.body.model : 'dall-e-2';
    const n = ctx.body.n === undefined ? 1 : ctx.body.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
      return openAIErrors.invalidValue('n', "Invalid 'n': expected an integer between 1 and 10.");
    }
    return plan(
      model,
      () => ({
        delayMs: sample(ctx.latency.completion, ctx.nextJobRandom('image')),
        body: {
          created: toUnixSeconds(ctx.nowMs),
          data: Array.from({ length: n }, (_, i) => ({
            url: `https://images.pollbench.invalid/${ctx.state.newId('img-', 16)}-${i}.png`,
            revised_prompt: prompt,
          })),
        },
      }),
      { requests: 1, tokens: 0, images: n },
    );
  },
};

const FILE_PURPOSES = new Set(['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals']);

const files: Route[] = [
  {
    id: 'files.create',
    method: 'POST',
    path: '/files',
    body: 'form',
    plan: (ctx) => {
      const purpose = ctx.form?.fields.purpose;
      if (purpose === undefined) return openAIErrors.missingParam('purpose');
      if (!FILE_PURPOSES.has(purpose))
        return openAIErrors.invalidValue('purpose', `Invalid value for 'purpose': '${purpose}'.`);
      const file = ctx.form?.file;
      if (file === undefined) return openAIErrors.missingParam('file');
      return plan(undefined, () => {
        const object = {
          id: ctx.state.newId('file-', 22),
          object: 'file' as const,
          bytes: file.bytes,
          created_at: toUnixSeconds(ctx.nowMs),
          filename: file.name,
          purpose,
          status: 'processed' as const,
        };
        ctx.state.files.set(object.id, object);
        return { body: object };
      });
    },
  },
  {
    id: 'files.retrieve',
    method: 'GET',
    path: '/files/:file_id',
    body: 'none',
    plan: (ctx) => {
      const file = ctx.state.files.get(ctx.params.file_id as string);
      if (file === undefined) return openAIErrors.notFound('file', ctx.params.file_id as string);
      return plan(undefined, () => ({ body: file }));
    },
  },
];

/** Synchronous endpoints: models, chat completions, embeddings, images, files. */
export const syncRoutes: readonly Route[] = [...models, chat, embeddings, images, ...files];
