import type { JobBody } from '../../src/client/api-client.ts';
import { apiRequests } from '../../src/client/api-request.ts';
import type { Flow, FlowName } from './workload.ts';

/** The seed program's instruction and prompt (000_e29600e4802fea04.txt). */
const INSTRUCTIONS =
  "Given a complete transcript of a US Senate hearing, determine if this hearing was or was not a nomination hearing. Respond with only 'YES' or 'NO' and do not provide justification.";
const PROMPT =
  "Determine if the transcript in this file does or does not describe a nomination hearing. Respond with only 'YES' or 'NO' and do not provide justification.";

const promptOf = (chars: number) => PROMPT.padEnd(chars, ' .').slice(0, Math.max(chars, 1));
const tokensOf = (chars: number) => Math.ceil(chars / 4);

/**
 * The seed program, per file: create a thread, upload the transcript, add the message, create the run,
 * poll it, and list the messages when it completed.
 */
const assistants: Flow = {
  async setup({ poller, config }) {
    const assistant = await poller.send<{ id: string }>(
      apiRequests.createAssistant(config.model, INSTRUCTIONS),
      tokensOf(INSTRUCTIONS.length),
    );
    return { assistantId: assistant.data.id };
  },
  async run({ poller, clock, config, setup, onJobId }, index) {
    const thread = (await poller.send<{ id: string }>(apiRequests.createThread())).data;
    await poller.send(
      apiRequests.uploadFile(`CHRG-108shrg19104${String(index).padStart(2, '0')}.txt`, 40_000, 'assistants'),
    );
    const prompt = promptOf(config.promptChars);
    await poller.send(apiRequests.createMessage(thread.id, prompt));
    const run = (
      await poller.send<JobBody>(
        apiRequests.createRun(thread.id, setup.assistantId as string),
        tokensOf(prompt.length + INSTRUCTIONS.length),
      )
    ).data;
    onJobId(run.id);
    const final = await poller.waitFor({
      kind: 'run',
      id: run.id,
      threadId: thread.id,
      createdAtMs: clock.now(),
      initial: run,
      retrieve: apiRequests.retrieveRun(thread.id, run.id),
    });
    if (final.status === 'completed') await poller.send(apiRequests.listMessages(thread.id));
    return final;
  },
};

/** Responses background mode, the successor: create with `background: true`, poll, read the output. */
const responses: Flow = {
  setup: async () => ({}),
  async run({ poller, clock, config, onJobId }) {
    const prompt = promptOf(config.promptChars);
    const created = (
      await poller.send<JobBody>(apiRequests.createResponse(config.model, prompt), tokensOf(prompt.length))
    ).data;
    onJobId(created.id);
    return poller.waitFor({
      kind: 'response',
      id: created.id,
      createdAtMs: clock.now(),
      initial: created,
      retrieve: apiRequests.retrieveResponse(created.id),
    });
  },
};

/** Batches: upload the input file, create the batch (24 h window), poll it. */
const batch: Flow = {
  setup: async () => ({}),
  async run({ poller, clock, onJobId }, index) {
    const file = (
      await poller.send<{ id: string }>(apiRequests.uploadFile(`batch-${index}.jsonl`, 200_000, 'batch'))
    ).data;
    const created = (await poller.send<JobBody>(apiRequests.createBatch(file.id))).data;
    onJobId(created.id);
    return poller.waitFor({
      kind: 'batch',
      id: created.id,
      createdAtMs: clock.now(),
      initial: created,
      retrieve: apiRequests.retrieveBatch(created.id),
    });
  },
};

/** Every flow by name. */
export const FLOWS: Readonly<Record<FlowName, Flow>> = { assistants, responses, batch };
