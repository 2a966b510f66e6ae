import OpenAI from 'openai';
import { attachPoller, type RequestRecord, recordTraffic } from 'pollbench';

// Every HTTP request the client makes (the SDK's retries included), as the mock records one.
const records: RequestRecord[] = [];
const openai = recordTraffic(new OpenAI(), (record) => records.push(record));
const poller = attachPoller(openai, 'fixed:interval=2s');

const ends = await Promise.allSettled(
  ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map(async (file) => {
    const created = await poller.send((client) =>
      client.responses.create({ model: 'gpt-4.1-mini', input: `Classify ${file}.`, background: true }),
    );
    return poller.waitFor(created);
  }),
);

const polls = records.filter((r) => r.route === 'responses.retrieve');
const limited = records.filter((r) => r.rejectedBy !== undefined);
const seconds = ((records.at(-1)?.doneMs ?? 0) - (records[0]?.atMs ?? 0)) / 1000;
const completed = ends.filter((end) => end.status === 'fulfilled' && end.value.status === 'completed');
console.log(`${completed.length} of ${ends.length} jobs completed`);
console.log(`${records.length} requests in ${seconds.toFixed(1)} s: ${polls.length} polls`);
console.log(
  `${limited.length} rate-limited (${[...new Set(limited.map((r) => r.rejectedBy))].join(', ') || 'none'})`,
);
for (const r of limited.slice(0, 3)) console.log(`  ${r.method} ${r.path} ${r.status} ${r.errorCode}`);
