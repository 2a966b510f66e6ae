#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import { createMockOpenAI } from '../server/create-mock-openai.ts';
import { startHttpServer } from '../server/http-server.ts';
import { intFlag, MOCK_FLAGS, MOCK_FLAGS_HELP, mockOptionsFromFlags } from './mock-flags.ts';
import { runCommand } from './usage-error.ts';

const HELP = `Usage: npm run serve -- [options]

Starts the pollbench mock OpenAI API as a real HTTP server (wall clock). Point any client's base URL at
the printed address. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Server:
  --port N                     port to listen on (default 4010; 0 picks a free one)
  --host HOST                  address to bind (default 127.0.0.1)
  --quiet                      do not log requests
  -h, --help                   this text

${MOCK_FLAGS_HELP}`;

await runCommand('serve', async () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      ...MOCK_FLAGS,
      port: { type: 'string' },
      host: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const port = values.port === undefined ? 4010 : intFlag('port', values.port, 0);
  const mock = createMockOpenAI({ ...mockOptionsFromFlags(values), clock: systemClock, record: false });
  if (!values.quiet) {
    mock.observe((r) => {
      const why = r.rejectedBy === undefined ? (r.errorCode ?? '') : `${r.errorCode} ${r.rejectedBy}`;
      process.stdout.write(`${new Date(r.atMs).toISOString()} ${r.method} /v1${r.path} ${r.status} ${why}\n`);
    });
  }
  const server = await startHttpServer(mock, { host: values.host, port });
  process.stdout.write(`listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stdout.write('stopping\n');
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
});
