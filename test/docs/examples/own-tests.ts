import { withVirtualSdk } from 'pollbench/sim';

// The real SDK against the mock, its timers and the mock's on one virtual clock: minutes of polling
// take milliseconds, and the seed fixes every job duration.
await withVirtualSdk({ tier: '1', seed: 42 }, async ({ client, mock }) => {
  let response = await client.responses.create({
    model: 'gpt-4.1',
    input: 'Classify this.',
    background: true,
  });
  while (response.status === 'queued' || response.status === 'in_progress') {
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // virtual: setTimeout is faked meanwhile
    response = await client.responses.retrieve(response.id);
  }
  const polls = mock.requests.filter((r) => r.route === 'responses.retrieve');
  console.log(`${response.status} after ${polls.length} polls, at ${polls.at(-1)?.atMs} ms of virtual time`);
});
