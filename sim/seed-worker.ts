import { parentPort, workerData } from 'node:worker_threads';
import { PollerFailed, type SimulationConfig } from './engine.ts';
import { runSeed, type SeedAnswer } from './seed-study.ts';

// A worker thread of a seed study (seed-study.ts): it is started with the study's config and the
// modules that register its own pollers, and answers each seed it is sent with that seed's summary, one
// at a time.
const { config, modules } = workerData as { config: SimulationConfig; modules: readonly string[] };
const port = parentPort;
if (port === null) throw new Error('seed-worker.ts runs only as a worker thread of a seed study');

// In order, as the calling thread loaded them. A failure here is answered for the first seed.
const registered = (async () => {
  for (const url of modules) await import(url);
})();
registered.catch(() => undefined); // not a crash of the thread: the first seed's answer carries it

port.on('message', async (seed: number) => {
  let answer: SeedAnswer;
  try {
    await registered;
    answer = { summary: await runSeed(config, seed) };
  } catch (error) {
    answer =
      error instanceof PollerFailed
        ? { failed: { poller: error.poller, message: error.message } }
        : { crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(answer);
});
