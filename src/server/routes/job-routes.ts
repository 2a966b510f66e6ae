import { openAIErrors } from '../errors.ts';
import { BatchJob } from '../jobs/batch.ts';
import { ResponseJob } from '../jobs/response.ts';
import { countCharacters, estimateTokens } from '../token-estimate.ts';
import { metadataOf } from './metadata.ts';
import { plan, type Route, type RouteContext, type RouteResult, requiredString } from './route.ts';
import { maxTokensOf } from './sync-routes.ts';

function findResponse(ctx: RouteContext): ResponseJob | RouteResult {
  const id = ctx.params.response_id as string;
  const job = ctx.state.responses.get(id);
  // Unstored responses disappear ~10 min after they finish (background guide, facts §6.1).
  if (job === undefined || job.evicted(ctx.nowMs)) return openAIErrors.notFound('response', id);
  return job;
}

function findBatch(ctx: RouteContext): BatchJob | RouteResult {
  const id = ctx.params.batch_id as string;
  const job = ctx.state.batches.get(id);
  return job ?? openAIErrors.notFound('batch', id);
}

const BATCH_ENDPOINTS = new Set([
  '/v1/responses',
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/completions',
  '/v1/moderations',
]);

/** Responses (background mode is the successor of runs) and batches. */
export const jobRoutes: readonly Route[] = [
  {
    id: 'responses.create',
    method: 'POST',
    path: '/responses',
    body: 'json',
    plan: (ctx) => {
      const model = requiredString(ctx.body, 'model');
      if (model === undefined) return openAIErrors.missingParam('model');
      const input = ctx.body.input;
      if (input !== undefined && typeof input !== 'string' && !Array.isArray(input)) {
        return openAIErrors.invalidValue(
          'input',
          "Invalid 'input': expected a string or an array of input items.",
        );
      }
      const tags = metadataOf(ctx.body);
      if ('error' in tags) return tags.error;
      const background = ctx.body.background === true;
      const store = ctx.body.store !== false;
      const tokens = estimateTokens(countCharacters([input, ctx.body.instructions]), maxTokensOf(ctx.body));
      return plan(
        model,
        () => {
          const job = new ResponseJob(
            ctx.state.newId('resp_', 48, 'hex'),
            model,
            ctx.nowMs,
            background,
            store,
            ctx.body,
            ctx.latencyFor('response', model),
            ctx.nextJobRandom('response'),
            tags.metadata,
          );
          ctx.state.responses.set(job.id, job);
          ctx.state.jobs.push(job);
          if (background) return { body: job.toApi(ctx.nowMs), job };
          // A synchronous response holds the connection until it is done.
          const done = job.terminalAt();
          return { body: job.toApi(done), job, delayMs: done - ctx.nowMs };
        },
        { requests: 1, tokens, images: 0 },
      );
    },
  },
  {
    id: 'responses.retrieve',
    method: 'GET',
    path: '/responses/:response_id',
    body: 'none',
    plan: (ctx) => {
      const job = findResponse(ctx);
      if (!(job instanceof ResponseJob)) return job;
      return plan(job.model, () => ({ body: job.toApi(ctx.nowMs), job }));
    },
  },
  {
    id: 'responses.cancel',
    method: 'POST',
    path: '/responses/:response_id/cancel',
    body: 'none',
    plan: (ctx) => {
      const job = findResponse(ctx);
      if (!(job instanceof ResponseJob)) return job;
      if (!job.background)
        return openAIErrors.invalidRequest(
          'Only responses created with background set to true can be cancelled.',
        );
      return plan(job.model, () => {
        job.cancel(ctx.nowMs);
        return { body: job.toApi(ctx.nowMs), job };
      });
    },
  },
  {
    id: 'batches.create',
    method: 'POST',
    path: '/batches',
    body: 'json',
    plan: (ctx) => {
      const inputFileId = requiredString(ctx.body, 'input_file_id');
      if (inputFileId === undefined) return openAIErrors.missingParam('input_file_id');
      const endpoint = requiredString(ctx.body, 'endpoint');
      if (endpoint === undefined) return openAIErrors.missingParam('endpoint');
      if (!BATCH_ENDPOINTS.has(endpoint))
        return openAIErrors.invalidValue('endpoint', `Invalid value for 'endpoint': '${endpoint}'.`);
      const window = requiredString(ctx.body, 'completion_window');
      if (window === undefined) return openAIErrors.missingParam('completion_window');
      if (window !== '24h')
        return openAIErrors.invalidValue(
          'completion_window',
          "Invalid value for 'completion_window': only '24h' is supported.",
        );
      const tags = metadataOf(ctx.body);
      if ('error' in tags) return tags.error;
      const file = ctx.state.files.get(inputFileId);
      if (file === undefined) return openAIErrors.notFound('file', inputFileId);
      if (file.purpose !== 'batch')
        return openAIErrors.invalidRequest(
          `File ${inputFileId} has purpose '${file.purpose}', expected 'batch'.`,
          'input_file_id',
        );
      return plan(undefined, () => {
        const requests = Math.max(1, Math.round(file.bytes / 200));
        const job = new BatchJob(
          ctx.state.newId('batch_', 32, 'hex'),
          endpoint,
          inputFileId,
          ctx.nowMs,
          requests,
          ctx.latency.batch,
          ctx.nextJobRandom('batch'),
          tags.metadata,
        );
        ctx.state.batches.set(job.id, job);
        ctx.state.jobs.push(job);
        return { body: job.toApi(ctx.nowMs), job };
      });
    },
  },
  {
    id: 'batches.retrieve',
    method: 'GET',
    path: '/batches/:batch_id',
    body: 'none',
    plan: (ctx) => {
      const job = findBatch(ctx);
      if (!(job instanceof BatchJob)) return job;
      return plan(undefined, () => ({ body: job.toApi(ctx.nowMs), job }));
    },
  },
  {
    id: 'batches.cancel',
    method: 'POST',
    path: '/batches/:batch_id/cancel',
    body: 'none',
    plan: (ctx) => {
      const job = findBatch(ctx);
      if (!(job instanceof BatchJob)) return job;
      if (!job.cancellable(ctx.nowMs))
        return openAIErrors.invalidRequest(`Cannot cancel a batch with status '${job.status(ctx.nowMs)}'.`);
      return plan(undefined, () => {
        job.requestCancel(ctx.nowMs);
        return { body: job.toApi(ctx.nowMs), job };
      });
    },
  },
];
