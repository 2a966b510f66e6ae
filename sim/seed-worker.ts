import { parentPort, workerData } from 'node:worker_threads';
import { PollerFailed, type SimulationConfig } from './engine.ts';
import { type SeedAnswer, type SeedRequest, simulateHere, type WorkerNews } from './seed-study.ts';
import { heartbeat } from './watchdog.ts';

// A worker thread of seed studies (seed-study.ts): it is started with a study's config and the
// modules that register its own pollers, and answers each seed it is sent with that seed's summary (of
// the pollers sent with it, if any: a later study of the same scenario), one at a time. While it simulates, its heartbeat is watched from the calling thread (watchdog.ts).
const {
  config,
  modules,
  heartbeat: heartbeatBuffer,
} = workerData as {
  config: SimulationConfig;
  modules: readonly string[];
  heartbeat: SharedArrayBuffer;
};
const port = parentPort;
if (port === null) throw new Error('seed-worker.ts runs only as a worker thread of a seed study');

const { beat, simulating } = heartbeat(heartbeatBuffer);

// In order, as the calling thread loaded them. A failure here is answered for the first seed.
const registered = (async () => {
  for (const url of modules) await import(url);
})();
registered.catch(() => undefined); // not a crash of the thread: the first seed's answer carries it

const tell = (news: WorkerNews) => port.postMessage(news);

port.on('message', async ({ seed, traces, pollers }: SeedRequest) => {
  let answer: SeedAnswer;
  try {
    await registered;
    simulating(true);
    answer = await simulateHere({ ...config, seed, pollers: pollers ?? config.pollers }, traces, {
      onPoller: (spec, index, total) => tell({ poller: spec, index, total }),
      onEvent: beat,
    }).finally(() => simulating(false));
  } catch (error) {
    answer =
      error instanceof PollerFailed
        ? { failed: { poller: error.poller, message: error.message } }
        : { crashed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  tell(answer);
});
