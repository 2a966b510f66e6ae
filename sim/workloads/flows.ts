import type { CallResult, JobBody } from '../../src/client/api-client.ts';
import { apiRequests } from '../../src/client/api-request.ts';
import { sendResultProblem } from '../../src/pollers/poller-contract.ts';
import { VECTOR_STORE_RPM } from '../../src/server/limits/endpoint-limits.ts';
import type { Flow, FlowName } from './workload.ts';

/** The seed program's instruction and prompt (000_e29600e4802fea04.txt). */
const INSTRUCTIONS =
  "Given a complete transcript of a US Senate hearing, determine if this hearing was or was not a nomination hearing. Respond with only 'YES' or 'NO' and do not provide justification.";
const PROMPT =
  "Determine if the transcript in this file does or does not describe a nomination hearing. Respond with only 'YES' or 'NO' and do not provide justification.";

/**
 * The data of what a poller's `send` resolved to. Checked here, after the flow's own `await`, rather than
 * in a wrapper round `send`: a wrapper's extra promise hop reorders same-instant work and changes
 * results (measured: `adaptive` on the tier-3 preset, 11,695 → 11,535 requests).
 */
function dataOf<T>(result: CallResult<T>): T {
  const problem = sendResultProblem(result);
  if (problem !== undefined) throw new Error(problem);
  return result.data;
}

/** The prompt of `chars` characters every flow sends. */
export const promptOf = (chars: number) => PROMPT.padEnd(chars, ' .').slice(0, Math.max(chars, 1));
/** A prompt's token estimate, as the flows give it to `send`. */
export const tokensOf = (chars: number) => Math.ceil(chars / 4);

/**
 * The seed program, per file: create a thread, upload the transcript, add the message, create the run,
 * poll it, and list the messages when it completed.
 */
const assistants: Flow = {
  async setup({ poller, config }) {
    const assistant = dataOf(
      await poller.send<{ id: string }>(
        apiRequests.createAssistant(config.model, INSTRUCTIONS),
        tokensOf(INSTRUCTIONS.length),
      ),
    );
    return { assistantId: assistant.id };
  },
  async run({ poller, clock, config, setup, onJobId }, index) {
    const thread = dataOf(await poller.send<{ id: string }>(apiRequests.createThread()));
    dataOf(
      await poller.send(
        apiRequests.uploadFile(
          `CHRG-108shrg19104${String(index).padStart(2, '0')}.txt`,
          40_000,
          'assistants',
        ),
      ),
    );
    const prompt = promptOf(config.promptChars);
    dataOf(await poller.send(apiRequests.createMessage(thread.id, prompt)));
    const run = dataOf(
      await poller.send<JobBody>(
        apiRequests.createRun(thread.id, setup.assistantId as string),
        tokensOf(prompt.length + INSTRUCTIONS.length),
      ),
    );
    onJobId(run.id);
    const final = await poller.waitFor({
      kind: 'run',
      id: run.id,
      threadId: thread.id,
      createdAtMs: clock.now(),
      initial: run,
      retrieve: apiRequests.retrieveRun(thread.id, run.id),
    });
    if (final.status === 'completed') dataOf(await poller.send(apiRequests.listMessages(thread.id)));
    return final;
  },
};

/** Responses background mode, the successor: create with `background: true`, poll, read the output. */
const responses: Flow = {
  setup: async () => ({}),
  async run({ poller, clock, config, onJobId }) {
    const prompt = promptOf(config.promptChars);
    const created = dataOf(
      await poller.send<JobBody>(apiRequests.createResponse(config.model, prompt), tokensOf(prompt.length)),
    );
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
    const file = dataOf(
      await poller.send<{ id: string }>(apiRequests.uploadFile(`batch-${index}.jsonl`, 200_000, 'batch')),
    );
    const created = dataOf(await poller.send<JobBody>(apiRequests.createBatch(file.id)));
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

/** Files each vector-store job uploads and attaches as one batch. */
export const FILES_PER_BATCH = 3;

/**
 * Vector-store ingestion for `file_search`, as `fileBatches.uploadAndPoll` does it: upload the files,
 * attach them as one file batch, poll the batch. Each client fills one vector store of its own, and every
 * batch create and poll counts against that store's 300 RPM (facts §4), not against the model's limits.
 */
const vectorStore: Flow = {
  async setup({ poller }) {
    const store = dataOf(await poller.send<{ id: string }>(apiRequests.createVectorStore('pollbench')));
    return { vectorStoreId: store.id };
  },
  async run({ poller, clock, setup, onJobId }, index) {
    const vectorStoreId = setup.vectorStoreId as string;
    const fileIds: string[] = [];
    // One after another: simultaneous uploads would be ordered differently by the two transports.
    for (let k = 0; k < FILES_PER_BATCH; k++) {
      const name = `doc-${index}-${k}.txt`;
      fileIds.push(
        dataOf(await poller.send<{ id: string }>(apiRequests.uploadFile(name, 20_000, 'assistants'))).id,
      );
    }
    const created = dataOf(await poller.send<JobBody>(apiRequests.createFileBatch(vectorStoreId, fileIds)));
    onJobId(created.id);
    return poller.waitFor({
      kind: 'file_batch',
      id: created.id,
      vectorStoreId,
      createdAtMs: clock.now(),
      initial: created,
      retrieve: apiRequests.retrieveFileBatch(vectorStoreId, created.id),
    });
  },
  endpointLimits: (mock) => ({
    limits: { rpm: mock.vectorStoreRpm ?? VECTOR_STORE_RPM },
    subject: 'each vector store',
    ...(mock.vectorStoreRpm === undefined
      ? { source: 'rate-limits guide, facts §4', asOf: '2026-11' }
      : { source: 'the scenario or --vector-store-rpm', asOf: 'this run' }),
  }),
};

/** Every flow by name. */
export const FLOWS: Readonly<Record<FlowName, Flow>> = {
  assistants,
  responses,
  batch,
  'vector-store': vectorStore,
};
