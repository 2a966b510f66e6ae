import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { answerHelpOrVersion, parseFlags, runCommand, UsageError } from '../src/cli/usage-error.ts';
import { checkOutFlag } from './output-dir.ts';
import { readReportDocument } from './summary-schema.ts';
import { writeReport, writeSeedsReport } from './write-report.ts';

const HELP = `Usage: npm run report -- DIR/summary.json [--out DIR]
       npm run report -- DIR/seeds.json [--out DIR]
       npm run report -- DIR [--out DIR]     the one of the two that DIR holds

Re-renders report.md, report.html and the PNG charts from a summary.json alone (written by
npm run sim -- … --out DIR), or seeds.md and its chart from a seeds.json (npm run sim -- --seeds … --out DIR).
By default the files go next to the input. --version prints pollbench's version.`;

await runCommand('report', async () => {
  const { values, positionals } = parseFlags({
    args: process.argv.slice(2),
    options: {
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (answerHelpOrVersion(values, HELP)) return;
  const given = positionals[0];
  if (given === undefined || positionals.length > 1)
    throw new UsageError('expected exactly one summary.json or seeds.json (or the directory holding it)');
  const file = documentIn(given);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === undefined ? 'not valid JSON' : `cannot be read (${code})`}`);
  }
  // A file edited by hand, or cut short, is named with its first wrong field, not a stack trace.
  const summary = readReportDocument(file, raw);
  // Next to the input, the JSON is already there; elsewhere it is copied too.
  checkOutFlag(values.out);
  const dir = values.out ?? dirname(file);
  const options = { writeSummary: values.out !== undefined };
  const written =
    summary.schema === 'pollbench/seeds@1'
      ? await writeSeedsReport(dir, summary, options)
      : await writeReport(dir, summary, undefined, options);
  process.stdout.write(`wrote ${written.map((f) => relative(process.cwd(), f)).join(', ')}\n`);
});

/** The document to render: `path` itself, or the one summary.json or seeds.json in a directory. */
function documentIn(path: string): string {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    return path; // reading it says why it cannot be read
  }
  if (!directory) return path;
  const found = ['summary.json', 'seeds.json'].filter((name) => existsSync(join(path, name)));
  if (found.length === 1) return join(path, found[0] as string);
  throw new UsageError(
    found.length === 0
      ? `${path}: a directory with no summary.json or seeds.json (written by npm run sim -- … --out ${path})`
      : `${path}: holds both summary.json and seeds.json; name the one to render`,
  );
}
