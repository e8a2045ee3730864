// Runs before `npm test` (the `pretest` script): makes sure the machine has what the tests drive, all from
// Debian's packages (never a browser downloaded by an npm package):
//   - Chromium, with its UI languages (chromium-l10n: the Arabic right-to-left popup test needs ar.pak);
//   - Firefox ESR (the Firefox end-to-end tests);
//   - the PostgreSQL server binaries (the feed server's PostgreSQL tests start a private server of their
//     own from them; the machine's own cluster is not used).
// Missing ones are installed with apt-get when that is possible without asking (root, or sudo without a
// password); otherwise it stops at once and prints the one command to run.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Need {
  readonly what: string;
  readonly packages: readonly string[];
  readonly present: () => boolean;
}

const CHROMIUM = '/usr/lib/chromium/chromium';

function postgresBinaries(): boolean {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb'));
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((version) => existsSync(join(root, version, 'bin', 'initdb')));
}

const NEEDS: readonly Need[] = [
  {
    what: 'Chromium',
    packages: ['chromium'],
    present: () => existsSync(process.env.CHROME_PATH ?? CHROMIUM),
  },
  {
    what: "Chromium's UI languages (the Arabic popup test)",
    packages: ['chromium-l10n'],
    // A Chromium of one's own (CHROME_PATH) brings its own locales.
    present: () => !!process.env.CHROME_PATH || existsSync('/usr/lib/chromium/locales/ar.pak'),
  },
  { what: 'Firefox ESR', packages: ['firefox-esr'], present: () => existsSync('/usr/bin/firefox-esr') },
  {
    what: 'the PostgreSQL server binaries (initdb, pg_ctl)',
    packages: ['postgresql'],
    present: postgresBinaries,
  },
];

function canRun(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** How to run apt-get here without a question: as root, or with sudo that needs no password; or null. */
function installer(): string[] | null {
  if (!canRun('sh', ['-c', 'command -v apt-get'])) return null;
  if (process.getuid?.() === 0) return [];
  return canRun('sudo', ['-n', 'true']) ? ['sudo', '-n'] : null;
}

function main(): void {
  const missing = NEEDS.filter((need) => !need.present());
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((need) => need.packages))];
  const list = missing.map((need) => need.what).join(', ');
  const command = `sudo apt-get install -y ${packages.join(' ')}`;
  const prefix = installer();
  if (prefix === null) {
    process.stderr.write(
      `The tests need ${list}, from Debian's packages. Install them, then run npm test again:\n\n  ${command}\n\n` +
        '(Elsewhere than Debian: set CHROME_PATH to a Chromium and PG_BIN to the folder holding initdb; ' +
        'Firefox ESR is expected at /usr/bin/firefox-esr.)\n',
    );
    process.exit(1);
  }
  process.stdout.write(`provision: installing ${packages.join(', ')} (for ${list})\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]): void => {
    const [bin = 'apt-get', ...rest] = [...prefix, ...args];
    execFileSync(bin, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...packages]);
  const still = NEEDS.filter((need) => !need.present());
  if (still.length > 0) {
    process.stderr.write(
      `provision: still missing after the install: ${still.map((n) => n.what).join(', ')}\n`,
    );
    process.exit(1);
  }
}

main();
