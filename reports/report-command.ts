import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { answerHelpOrVersion, parseFlags, runCommand, UsageError } from '../src/cli/usage-error.ts';
import { checkOutFlag, shortPath } from './output-dir.ts';
import { readReportDocument } from './summary-schema.ts';
import { writeReport, writeSeedsReport, writeTiersReport } from './write-report.ts';

const HELP = `Usage: npm run report -- DIR/summary.json [--out DIR]
       npm run report -- DIR/seeds.json [--out DIR]
       npm run report -- DIR/tiers.json [--out DIR]
       npm run report -- DIR [--out DIR]     the one of the three that DIR holds

Re-renders report.md, report.html and the PNG charts from a summary.json alone (written by
npm run sim -- … --out DIR), seeds.md, seeds.html and their charts from a seeds.json (npm run sim --
--seeds … --out DIR), or tiers.md, tiers.html, their chart and every tier's own report (in tier-T/)
from a tiers.json (npm run sim -- --tier free,1,… --out DIR). By default the files go next to the
input. --version prints pollbench's version.`;

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
    throw new UsageError(
      'expected exactly one summary.json, seeds.json or tiers.json (or the directory holding it)',
    );
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
    summary.schema === 'pollbench/tiers@1'
      ? await writeTiersReport(dir, summary, undefined, options)
      : summary.schema === 'pollbench/seeds@1'
        ? await writeSeedsReport(dir, summary, options)
        : await writeReport(dir, summary, undefined, options);
  process.stdout.write(`wrote ${written.map(shortPath).join(', ')}\n`);
});

/** The document to render: `path` itself, or the one summary.json, seeds.json or tiers.json in a directory. */
function documentIn(path: string): string {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    return path; // reading it says why it cannot be read
  }
  if (!directory) return path;
  const found = ['summary.json', 'seeds.json', 'tiers.json'].filter((name) => existsSync(join(path, name)));
  if (found.length === 1) return join(path, found[0] as string);
  throw new UsageError(
    found.length === 0
      ? `${path}: a directory with no summary.json, seeds.json or tiers.json (written by npm run sim -- … --out ${path})`
      : `${path}: holds ${found.join(' and ')}; name the one to render`,
  );
}
