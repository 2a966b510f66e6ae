import { describeValue, type ErrorAnswer, openAIErrors } from '../errors.ts';
import { toUnixSeconds } from '../jobs/outcome.ts';
import { ACTIVE_RUN_STATUSES, Run } from '../jobs/run.ts';
import type { AssistantObject, MessageObject, Thread } from '../state.ts';
import { countCharacters, estimateTokens } from '../token-estimate.ts';
import { metadataOf } from './metadata.ts';
import { plan, type Route, type RouteContext, type RouteResult, requiredString } from './route.ts';
import { maxTokensOf } from './sync-routes.ts';

/**
 * The Assistants flow (shut down on 2026-08-26, facts §0; kept because the seed case is built on it):
 * assistants, threads, messages, runs.
 */

function activeRun(thread: Thread, nowMs: number): Run | undefined {
  const last = thread.runs[thread.runs.length - 1];
  return last !== undefined && ACTIVE_RUN_STATUSES.has(last.status(nowMs)) ? last : undefined;
}

function textMessage(
  ctx: RouteContext,
  threadId: string,
  role: 'user' | 'assistant',
  text: string,
  at: number,
  runId: string | null,
  assistantId: string | null,
  metadata?: Readonly<Record<string, string>>,
): MessageObject {
  return {
    id: ctx.state.newId('msg_'),
    object: 'thread.message',
    created_at: toUnixSeconds(at),
    thread_id: threadId,
    status: 'completed',
    incomplete_details: null,
    completed_at: toUnixSeconds(at),
    incomplete_at: null,
    role,
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
    assistant_id: assistantId,
    run_id: runId,
    attachments: [],
    metadata: { ...metadata },
  };
}

function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.length > 0)
    return content.map((part) => (part as { text?: string }).text ?? '').join('');
  return undefined;
}

function newThread(ctx: RouteContext, metadata: Readonly<Record<string, string>> | undefined): Thread {
  return {
    id: ctx.state.newId('thread_'),
    createdAt: ctx.nowMs,
    metadata,
    model: undefined,
    messages: [],
    runs: [],
    replied: new Set(),
  };
}

function threadApi(thread: Thread): Record<string, unknown> {
  return {
    id: thread.id,
    object: 'thread',
    created_at: toUnixSeconds(thread.createdAt),
    metadata: { ...thread.metadata },
    tool_resources: {},
  };
}

/** A message given when a thread is created. */
interface InitialMessage {
  readonly text: string;
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/**
 * Validates a thread-create body (`prefix`: where it sits, `thread.` in createAndRun): its `metadata`
 * and its `messages`. Returns the thread's metadata and messages, or the error to answer.
 */
function threadBody(
  body: Record<string, unknown>,
  prefix: string,
): { metadata: Readonly<Record<string, string>> | undefined; messages: InitialMessage[] } | ErrorAnswer {
  const tags = metadataOf(body, `${prefix}metadata`);
  if ('error' in tags) return tags.error;
  const raw = body.messages ?? [];
  if (!Array.isArray(raw))
    return openAIErrors.invalidValue(`${prefix}messages`, `Invalid '${prefix}messages': expected an array.`);
  const messages: InitialMessage[] = [];
  for (const [index, message] of raw.entries()) {
    const fields = (message ?? {}) as Record<string, unknown>;
    const text = messageText(fields.content);
    if (text === undefined) return openAIErrors.missingParam(`${prefix}messages[${index}].content`);
    const messageTags = metadataOf(fields, `${prefix}messages[${index}].metadata`);
    if ('error' in messageTags) return messageTags.error;
    messages.push({ text, metadata: messageTags.metadata });
  }
  return { metadata: tags.metadata, messages };
}

/** A new thread holding `body`'s messages (checked by {@link threadBody}). */
function createThread(ctx: RouteContext, body: Exclude<ReturnType<typeof threadBody>, ErrorAnswer>): Thread {
  const thread = newThread(ctx, body.metadata);
  for (const { text, metadata } of body.messages)
    thread.messages.push(textMessage(ctx, thread.id, 'user', text, ctx.nowMs, null, null, metadata));
  ctx.state.threads.set(thread.id, thread);
  return thread;
}

/** Appends the assistant's reply for every completed run not yet answered. */
function appendReplies(ctx: RouteContext, thread: Thread): void {
  for (const run of thread.runs) {
    if (!thread.replied.has(run.id) && run.status(ctx.nowMs) === 'completed') {
      thread.replied.add(run.id);
      thread.messages.push(
        textMessage(ctx, thread.id, 'assistant', 'YES', run.terminalAt(), run.id, run.assistantId),
      );
    }
  }
}

/** Plans a run on `thread` (existing or about to be created); shared by runs.create and createAndRun. */
function planRun(
  ctx: RouteContext,
  assistant: AssistantObject,
  getThread: () => Thread,
  tokensChars: number,
): RouteResult {
  const model = typeof ctx.body.model === 'string' ? ctx.body.model : assistant.model;
  const tokens = estimateTokens(tokensChars, maxTokensOf(ctx.body));
  const tags = metadataOf(ctx.body);
  if ('error' in tags) return tags.error;
  return plan(
    model,
    () => {
      const thread = getThread();
      const latency = ctx.latencyFor('run', model);
      const instructions =
        typeof ctx.body.instructions === 'string' ? ctx.body.instructions : assistant.instructions;
      const run = new Run(
        ctx.state.newId('run_'),
        thread.id,
        assistant.id,
        model,
        instructions,
        ctx.nowMs,
        latency,
        ctx.nextJobRandom('run'),
        tags.metadata,
      );
      thread.runs.push(run);
      thread.model = model;
      ctx.state.runs.set(run.id, run);
      ctx.state.jobs.push(run);
      return { body: run.toApi(ctx.nowMs, assistant.tools), job: run };
    },
    { requests: 1, tokens, images: 0 },
  );
}

function findRun(ctx: RouteContext): { thread: Thread; run: Run } | RouteResult {
  const thread = ctx.state.threads.get(ctx.params.thread_id as string);
  if (thread === undefined) return openAIErrors.notFound('thread', ctx.params.thread_id as string);
  const run = ctx.state.runs.get(ctx.params.run_id as string);
  if (run === undefined || run.threadId !== thread.id)
    return openAIErrors.notFound('run', ctx.params.run_id as string);
  return { thread, run };
}

function toolsOf(ctx: RouteContext, run: Run): readonly unknown[] {
  return ctx.state.assistants.get(run.assistantId)?.tools ?? [];
}

export const assistantRoutes: readonly Route[] = [
  {
    id: 'assistants.create',
    method: 'POST',
    path: '/assistants',
    body: 'json',
    plan: (ctx) => {
      const model = requiredString(ctx.body, 'model');
      if (model === undefined) return openAIErrors.missingParam('model');
      if (!ctx.modelExists(model)) return openAIErrors.modelNotFound(model);
      const tools = Array.isArray(ctx.body.tools) ? (ctx.body.tools as unknown[]) : [];
      const tags = metadataOf(ctx.body);
      if ('error' in tags) return tags.error;
      return plan(model, () => {
        const assistant: AssistantObject = {
          id: ctx.state.newId('asst_'),
          object: 'assistant',
          created_at: toUnixSeconds(ctx.nowMs),
          name: typeof ctx.body.name === 'string' ? ctx.body.name : null,
          description: null,
          model,
          instructions: typeof ctx.body.instructions === 'string' ? ctx.body.instructions : null,
          tools,
          metadata: { ...tags.metadata },
          top_p: 1,
          temperature: 1,
          response_format: 'auto',
          tool_resources: {},
        };
        ctx.state.assistants.set(assistant.id, assistant);
        return { body: assistant };
      });
    },
  },
  {
    id: 'assistants.retrieve',
    method: 'GET',
    path: '/assistants/:assistant_id',
    body: 'none',
    plan: (ctx) => {
      const assistant = ctx.state.assistants.get(ctx.params.assistant_id as string);
      if (assistant === undefined)
        return openAIErrors.notFound('assistant', ctx.params.assistant_id as string);
      return plan(undefined, () => ({ body: assistant }));
    },
  },
  {
    id: 'threads.create',
    method: 'POST',
    path: '/threads',
    body: 'json',
    plan: (ctx) => {
      const body = threadBody(ctx.body, '');
      if ('status' in body) return body;
      return plan(undefined, () => ({ body: threadApi(createThread(ctx, body)) }));
    },
  },
  {
    id: 'threads.retrieve',
    method: 'GET',
    path: '/threads/:thread_id',
    body: 'none',
    plan: (ctx) => {
      const thread = ctx.state.threads.get(ctx.params.thread_id as string);
      if (thread === undefined) return openAIErrors.notFound('thread', ctx.params.thread_id as string);
      return plan(thread.model, () => ({ body: threadApi(thread) }));
    },
  },
  {
    id: 'messages.create',
    method: 'POST',
    path: '/threads/:thread_id/messages',
    body: 'json',
    plan: (ctx) => {
      const thread = ctx.state.threads.get(ctx.params.thread_id as string);
      if (thread === undefined) return openAIErrors.notFound('thread', ctx.params.thread_id as string);
      const role = ctx.body.role;
      if (role === undefined) return openAIErrors.missingParam('role');
      if (role !== 'user' && role !== 'assistant')
        return openAIErrors.invalidValue(
          'role',
          `Invalid value: '${describeValue(role)}'. Supported values are: 'user' and 'assistant'.`,
        );
      const text = messageText(ctx.body.content);
      if (text === undefined) return openAIErrors.missingParam('content');
      const tags = metadataOf(ctx.body);
      if ('error' in tags) return tags.error;
      const active = activeRun(thread, ctx.nowMs);
      if (active !== undefined)
        return openAIErrors.invalidRequest(
          `Can't add messages to ${thread.id} while a run ${active.id} is active.`,
        );
      return plan(thread.model, () => {
        const message = textMessage(ctx, thread.id, role, text, ctx.nowMs, null, null, tags.metadata);
        thread.messages.push(message);
        return { body: message };
      });
    },
  },
  {
    id: 'messages.list',
    method: 'GET',
    path: '/threads/:thread_id/messages',
    body: 'none',
    plan: (ctx) => {
      const thread = ctx.state.threads.get(ctx.params.thread_id as string);
      if (thread === undefined) return openAIErrors.notFound('thread', ctx.params.thread_id as string);
      const order = ctx.query?.get('order') ?? 'desc';
      if (order !== 'asc' && order !== 'desc')
        return openAIErrors.invalidValue('order', `Invalid value for 'order': '${order}'.`);
      const limit = Number(ctx.query?.get('limit') ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return openAIErrors.invalidValue('limit', "Invalid 'limit': expected an integer between 1 and 100.");
      return plan(thread.model, () => {
        appendReplies(ctx, thread);
        const sorted = order === 'desc' ? [...thread.messages].reverse() : thread.messages;
        const data = sorted.slice(0, limit);
        return {
          body: {
            object: 'list',
            data,
            first_id: data[0]?.id ?? null,
            last_id: data[data.length - 1]?.id ?? null,
            has_more: sorted.length > limit,
          },
        };
      });
    },
  },
  {
    id: 'runs.create',
    method: 'POST',
    path: '/threads/:thread_id/runs',
    body: 'json',
    plan: (ctx) => {
      const thread = ctx.state.threads.get(ctx.params.thread_id as string);
      if (thread === undefined) return openAIErrors.notFound('thread', ctx.params.thread_id as string);
      const assistantId = requiredString(ctx.body, 'assistant_id');
      if (assistantId === undefined) return openAIErrors.missingParam('assistant_id');
      const assistant = ctx.state.assistants.get(assistantId);
      if (assistant === undefined) return openAIErrors.notFound('assistant', assistantId);
      const active = activeRun(thread, ctx.nowMs);
      if (active !== undefined)
        return openAIErrors.invalidRequest(`Thread ${thread.id} already has an active run ${active.id}.`);
      const chars =
        countCharacters(thread.messages.map((m) => m.content)) + (assistant.instructions?.length ?? 0);
      return planRun(ctx, assistant, () => thread, chars);
    },
  },
  {
    id: 'threads.createAndRun',
    method: 'POST',
    path: '/threads/runs',
    body: 'json',
    plan: (ctx) => {
      const assistantId = requiredString(ctx.body, 'assistant_id');
      if (assistantId === undefined) return openAIErrors.missingParam('assistant_id');
      const assistant = ctx.state.assistants.get(assistantId);
      if (assistant === undefined) return openAIErrors.notFound('assistant', assistantId);
      const given = (ctx.body.thread ?? {}) as Record<string, unknown>;
      if (typeof given !== 'object' || given === null)
        return openAIErrors.invalidValue('thread', "Invalid 'thread': expected an object.");
      const body = threadBody(given, 'thread.');
      if ('status' in body) return body;
      return planRun(
        ctx,
        assistant,
        () => createThread(ctx, body),
        countCharacters(body.messages.map((m) => m.text)),
      );
    },
  },
  {
    id: 'runs.retrieve',
    method: 'GET',
    path: '/threads/:thread_id/runs/:run_id',
    body: 'none',
    plan: (ctx) => {
      const found = findRun(ctx);
      if (!('run' in found)) return found;
      const { run } = found;
      return plan(run.model, () => ({ body: run.toApi(ctx.nowMs, toolsOf(ctx, run)), job: run }));
    },
  },
  {
    id: 'runs.cancel',
    method: 'POST',
    path: '/threads/:thread_id/runs/:run_id/cancel',
    body: 'none',
    plan: (ctx) => {
      const found = findRun(ctx);
      if (!('run' in found)) return found;
      const { run } = found;
      const status = run.status(ctx.nowMs);
      if (status !== 'queued' && status !== 'in_progress' && status !== 'requires_action') {
        return openAIErrors.invalidRequest(`Cannot cancel run with status '${status}'.`);
      }
      return plan(run.model, () => {
        run.requestCancel(ctx.nowMs, run.cancelDelay(ctx.latency.runCancelling));
        return { body: run.toApi(ctx.nowMs, toolsOf(ctx, run)), job: run };
      });
    },
  },
  {
    id: 'runs.submitToolOutputs',
    method: 'POST',
    path: '/threads/:thread_id/runs/:run_id/submit_tool_outputs',
    body: 'json',
    plan: (ctx) => {
      const found = findRun(ctx);
      if (!('run' in found)) return found;
      const { run } = found;
      if (!Array.isArray(ctx.body.tool_outputs)) return openAIErrors.missingParam('tool_outputs');
      const status = run.status(ctx.nowMs);
      if (status !== 'requires_action')
        return openAIErrors.invalidRequest(`Runs in status "${status}" do not accept tool outputs.`);
      return plan(run.model, () => {
        run.submitToolOutputs(ctx.nowMs);
        return { body: run.toApi(ctx.nowMs, toolsOf(ctx, run)), job: run };
      });
    },
  },
];
