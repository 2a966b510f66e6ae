import OpenAI from 'openai';
import { formatCounted } from '../reports/format.ts';
import { liveSummary, renderLiveConsole } from '../reports/live-summary.ts';
import { summarize } from '../reports/summary.ts';
import { answerHelpOrVersion, runCommand, UsageError } from '../src/cli/usage-error.ts';
import { systemClock } from '../src/core/clock.ts';
import { formatPollerChoices } from '../src/pollers/registry.ts';
import { runSimulation } from './engine.ts';
import { isLocal, liveHelp, parseLiveArgs } from './live-flags.ts';
import { type LiveRun, runLive } from './live-run.ts';

await runCommand('live', async () => {
  const args = process.argv.slice(2);
  const parsed = parseLiveArgs(args);
  if (parsed === 'help' || parsed === 'version') {
    answerHelpOrVersion({ [parsed]: true }, liveHelp());
    return;
  }
  const { config } = parsed;
  const baseURL = parsed.baseURL ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const local = isLocal(baseURL);
  const choices = config.pollers.filter((p) => p.name !== 'oracle');
  const { jobs, clients, model } = config.workload;
  // The seed program's flow, and the default study of --tier free: it can only run against the mock now.
  if (!local && config.workload.flow === 'assistants')
    throw new UsageError(
      `the ${config.scenario} study runs the Assistants flow, and OpenAI shut the Assistants API down on 2026-08-26 (facts §5.4): add --workload responses (its successor), or --base-url a server on this machine (npm run serve)`,
    );
  if (!local && !parsed.yes)
    throw new UsageError(
      `this creates ${jobs * clients} real job(s) on ${model} per poller (${choices.length}) at ${baseURL}, billed to your key: add --yes to go ahead`,
    );
  const apiKey = process.env.OPENAI_API_KEY || (local ? 'sk-pollbench-live' : undefined);
  if (apiKey === undefined)
    throw new UsageError(
      `set OPENAI_API_KEY to run against ${baseURL} (or --base-url to a server on this machine)`,
    );

  // The simulation first: it takes a second, and a mistake in the study shows before any job is paid.
  const simulated = summarize(await runSimulation(config), parsed.studyArgs);
  const published = simulated.limits ?? undefined;
  const specs = formatPollerChoices(choices);
  const runs: LiveRun[] = [];
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\u001b[K`);
  };
  // Ctrl-C stops the run under way as its horizon would, cancels the jobs it left running (they are
  // billed), and prints what was measured; a second Ctrl-C quits at once.
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write(
      `\nlive: interrupted: cancelling the jobs still running (Ctrl-C again to quit now)\n`,
    );
    interrupt.abort('Ctrl-C');
    process.once('SIGINT', () => process.exit(130));
  });
  let answered = 0;
  for (const [i, choice] of choices.entries()) {
    if (interrupt.signal.aborted) break;
    if (i > 0 && parsed.pauseMs > 0) {
      progress(`waiting ${parsed.pauseMs / 1000} s for the budget to refill…`);
      const paused = await systemClock.sleep(parsed.pauseMs, interrupt.signal).then(
        () => true,
        () => false,
      );
      if (!paused) break;
    }
    let requests = 0;
    const run = await runLive({
      openai: new OpenAI({ apiKey, baseURL }),
      workload: config.workload,
      poller: choice,
      publishedLimits: published,
      seed: config.seed,
      deadlineMs: config.horizonMs,
      signal: interrupt.signal,
      onRecord: () => {
        requests++;
        progress(`live: ${specs[i]} (${i + 1} of ${choices.length}), ${requests} requests…`);
      },
    });
    answered += requests;
    runs.push(run);
  }
  progress('');
  const summary = liveSummary(simulated, baseURL, runs);
  process.stdout.write(parsed.json ? `${JSON.stringify(summary, null, 2)}\n` : renderLiveConsole(summary));
  if (answered === 0) {
    process.stderr.write(
      `live: no request to ${baseURL} was answered: is the server up, and the URL right?\n`,
    );
    process.exitCode = 1;
  }
  if (interrupt.signal.aborted) {
    const skipped = choices.length - runs.length;
    if (skipped > 0) process.stderr.write(`live: ${formatCounted(skipped, 'poller')} not run\n`);
    // 128 + SIGINT, as a shell reports a command Ctrl-C ended.
    process.exit(130);
  }
});
