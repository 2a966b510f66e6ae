import { parentPort, workerData } from 'node:worker_threads';
import { PollerFailed, type SimulationConfig } from './engine.ts';
import { runSeed, type SeedAnswer } from './seed-study.ts';

// A worker thread of a seed study (seed-study.ts): it is started with the study's config and answers
// each seed it is sent with that seed's summary, one at a time.
const config = (workerData as { config: SimulationConfig }).config;
const port = parentPort;
if (port === null) throw new Error('seed-worker.ts runs only as a worker thread of a seed study');

port.on('message', async (seed: number) => {
  let answer: SeedAnswer;
  try {
    answer = { summary: await runSeed(config, seed) };
  } catch (error) {
    answer =
      error instanceof PollerFailed
        ? { failed: { poller: error.poller, message: error.message } }
        : { crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(answer);
});
