import { systemClock } from '../core/clock.ts';
import { createMockOpenAI } from '../server/create-mock-openai.ts';
import { type OutsideApiAnswer, startHttpServer } from '../server/http-server.ts';
import { intFlag, MOCK_FLAGS, MOCK_FLAGS_HELP, mockOptionsFromFlags } from './mock-flags.ts';
import { answerHelpOrVersion, parseFlags, runCommand, UsageError } from './usage-error.ts';

const HELP = `Usage: npm run serve -- [options]

Starts the pollbench mock OpenAI API as a real HTTP server (wall clock). Point any client's base URL at
the printed address. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Server:
  --port N                     port to listen on (default 4010; 0 picks a free one)
  --host HOST                  address to bind (default 127.0.0.1)
  --quiet                      do not log requests
  -h, --help                   this text
  --version                    print pollbench's version

${MOCK_FLAGS_HELP}`;

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (try another --port, or 0 for a free one)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine’s',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
};

const OUTSIDE_V1 = "not under /v1 (does the client's base URL end in /v1?)";

await runCommand('serve', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      ...MOCK_FLAGS,
      port: { type: 'string' },
      host: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (answerHelpOrVersion(values, HELP)) return;
  const port = values.port === undefined ? 4010 : intFlag('port', values.port, 0);
  if (port > 65_535) throw new UsageError(`--port: expected a port from 0 to 65535; got '${values.port}'`);
  const mock = createMockOpenAI({ ...mockOptionsFromFlags(values), clock: systemClock, record: false });
  const log = (atMs: number, method: string, path: string, status: number, why: string) => {
    const line = `${new Date(atMs).toISOString()} ${method} ${path} ${status}`;
    process.stdout.write(why === '' ? `${line}\n` : `${line} ${why}\n`);
  };
  if (!values.quiet) {
    mock.observe((r) => {
      const why = r.rejectedBy === undefined ? (r.errorCode ?? '') : `${r.errorCode} ${r.rejectedBy}`;
      log(r.atMs, r.method, `/v1${r.path}`, r.status, why);
    });
  }
  // Requests the mock never saw are logged too: a client whose base URL lacks /v1 otherwise gets 404s
  // with nothing in the log to say why.
  const onOutsideApi = values.quiet
    ? undefined
    : ({ method, path, status }: OutsideApiAnswer) =>
        log(systemClock.now(), method, path, status, status === 404 ? OUTSIDE_V1 : '');
  const server = await startHttpServer(mock, { host: values.host, port, onOutsideApi }).catch(
    (error: unknown) => {
      // A port in use or privileged, a host that does not resolve or is not this machine's: the user's
      // to fix, so one line and exit code 2.
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === undefined) throw error;
      throw new UsageError(
        `cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${LISTEN_ERRORS[code] ?? message} (${code})`,
      );
    },
  );
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
