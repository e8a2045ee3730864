// The core decides from its arguments only: no clock, no randomness, no I/O. Types catch the platform
// (src/core/tsconfig.json compiles it without Node or DOM types); this catches what plain JavaScript
// offers everywhere: the clock and the dice.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../../src/core');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('src/core is pure', () => {
  it.each(files(CORE).map((f) => [f.slice(CORE.length + 1), f]))(
    '%s reads no clock and rolls no dice',
    (_, file) => {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(
        /\bDate\.now\s*\(|new Date\s*\(\s*\)|performance\.now|Math\.random|crypto\.getRandomValues/,
      );
    },
  );

  // A module-level variable would let one call's input decide a later call's answer (the user's own
  // apps were once kept so): what the core needs is passed in.
  it.each(files(CORE).map((f) => [f.slice(CORE.length + 1), f]))(
    '%s keeps no state between calls',
    (_, file) => {
      expect(readFileSync(file, 'utf8')).not.toMatch(/^(export\s+)?(let|var)\s/m);
    },
  );
});
