import OpenAI from 'openai';
import { attachPoller } from 'pollbench';

// Your program's own client (OPENAI_API_KEY; OPENAI_BASE_URL to point it at another server).
const openai = new OpenAI();
// One poller for the whole process, shared by every job: adaptive paces all the calls it sends to the
// budget the x-ratelimit-* headers report, and learns how long jobs take.
const poller = attachPoller(openai, 'adaptive', { tier: '1', model: 'gpt-4.1-mini' });

const files = ['a.txt', 'b.txt', 'c.txt'];
const lines = await Promise.all(
  files.map(async (file) => {
    const created = await poller.send((client) =>
      client.responses.create({ model: 'gpt-4.1-mini', input: `Classify ${file}.`, background: true }),
    );
    const done = await poller.waitFor(created);
    return `${file}: ${done.status}`;
  }),
);
console.log(lines.join('\n'));
