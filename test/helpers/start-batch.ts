import OpenAI from 'openai';
import type { AttachedPoller } from '../../src/pollers/attach-poller.ts';

/**
 * Uploads a one-line batch input through `openai` and creates a 24 h batch of responses from it, the
 * create sent the `poller`'s way. Returns the batch as its create returned it.
 */
export async function startBatch(openai: OpenAI, poller: AttachedPoller) {
  const input = await openai.files.create({
    file: await OpenAI.toFile(Buffer.from('{}\n'), 'in.jsonl'),
    purpose: 'batch',
  });
  return poller.send((client) =>
    client.batches.create({ input_file_id: input.id, endpoint: '/v1/responses', completion_window: '24h' }),
  );
}
