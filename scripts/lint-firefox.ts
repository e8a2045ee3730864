// `npm run lint:firefox`: Mozilla's add-on linter (web-ext lint, the checks AMO runs on upload) over
// the Firefox build. Fails on any error, and on any warning not listed below with its reason, so a
// new warning is looked at rather than scrolled past. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface LintMessage {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}
interface LintReport {
  readonly errors: readonly LintMessage[];
  readonly warnings: readonly LintMessage[];
  readonly notices: readonly LintMessage[];
}

/** Warnings that are understood and accepted; README.md ("Firefox: web-ext lint") says the same. */
const KNOWN_WARNINGS: readonly { code: string; file: RegExp; marker: string; why: string }[] = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    // Preact's renderer: the `dangerouslySetInnerHTML` path, which Detour never uses (Biome forbids it).
    file: /^assets\/[\w.-]+\.js$/,
    marker: '.__html',
    why: "Preact's support for dangerouslySetInnerHTML (never used by Detour; forbidden by Biome)",
  },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = process.argv[2] ?? 'dist/firefox';
if (!existsSync(`${root}${sourceDir}/manifest.json`)) {
  console.error(`lint:firefox: ${sourceDir}/manifest.json not found; run \`npm run build\` first`);
  process.exit(1);
}

const run = spawnSync(
  `${root}node_modules/.bin/web-ext`,
  ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'],
  { cwd: root, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
);
const start = run.stdout.indexOf('{');
let report: LintReport;
try {
  report = JSON.parse(run.stdout.slice(start)) as LintReport;
} catch {
  console.error(`lint:firefox: web-ext gave no report (exit ${run.status})\n${run.stdout}${run.stderr}`);
  process.exit(1);
}

const where = (m: LintMessage) => `${m.file ?? '(package)'}${m.line ? `:${m.line}` : ''}`;
/** A known warning must come from a file that still holds the code it is known for. */
const known = (m: LintMessage) =>
  KNOWN_WARNINGS.find(
    (k) =>
      k.code === m.code &&
      k.file.test(m.file ?? '') &&
      readFileSync(`${root}${sourceDir}/${m.file}`, 'utf8').includes(k.marker),
  );
const unexpected = report.warnings.filter((w) => !known(w));

console.log(
  `web-ext lint ${sourceDir}: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.notices.length} notices`,
);
for (const e of report.errors) console.log(`  error   ${e.code} ${where(e)}: ${e.message}`);
for (const w of report.warnings) {
  const k = known(w);
  console.log(`  warning ${w.code} ${where(w)}: ${k ? `known: ${k.why}` : w.message}`);
}
for (const n of report.notices) console.log(`  notice  ${n.code} ${where(n)}: ${n.message}`);
if (report.errors.length > 0 || unexpected.length > 0) {
  console.error(
    `lint:firefox: ${report.errors.length} errors and ${unexpected.length} unexplained warnings (explain a warning in scripts/lint-firefox.ts and README.md, or fix it)`,
  );
  process.exit(1);
}
