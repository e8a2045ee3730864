// The store zips: a built extension with manifest.json at the root carrying the package version, and
// nothing that is not part of the extension; the source archive with what a rebuild needs, nothing more.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { isShippable, storePackages, zipExtension, zipSource } from '../../scripts/store-packages';

const temp = mkdtempSync(join(tmpdir(), 'detour-packages-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function tree(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const names = (zip: Uint8Array) => Object.keys(unzipSync(zip)).sort();
const manifestOf = (zip: Uint8Array) =>
  JSON.parse(new TextDecoder().decode(unzipSync(zip)['manifest.json'])) as { version: string };

describe('extension zips', () => {
  const dist = tree(join(temp, 'dist'), {
    'manifest.json': JSON.stringify({ manifest_version: 3, version: '1.2.3' }),
    'assets/index.js': 'x',
    'assets/index.js.map': '{}',
    'assets/popup.test.js': 'test',
    '.vite/manifest.json': '{}',
    'icons/icon-16.png': 'png',
  });

  it('put manifest.json at the root and leave out source maps, tests and dot-folders', () => {
    const zip = zipExtension(dist, '1.2.3');
    expect(names(zip)).toEqual(['assets/index.js', 'icons/icon-16.png', 'manifest.json']);
    expect(manifestOf(zip).version).toBe('1.2.3');
  });

  it('refuse a build whose manifest has another version than package.json', () => {
    expect(() => zipExtension(dist, '9.9.9')).toThrow(/version 1.2.3, package.json has 9.9.9/);
  });

  it('are the same bytes for the same build', () => {
    expect(zipExtension(dist, '1.2.3')).toEqual(zipExtension(dist, '1.2.3'));
  });

  it('never ship maps, tests or dot-files', () => {
    expect(['a.js.map', 'x/a.test.ts', 'x/b.spec.tsx', '.DS_Store', 'a/.git/x'].filter(isShippable)).toEqual(
      [],
    );
    expect(isShippable('assets/index.js')).toBe(true);
  });
});

describe('the source archive', () => {
  it('holds what `npm ci && npm run build` needs and nothing else', () => {
    const zip = zipSource(process.cwd());
    const files = names(zip);
    for (const needed of ['package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts']) {
      expect(files).toContain(needed);
    }
    expect(files).toEqual(expect.arrayContaining(['README.md', 'PRIVACY.md', 'tsconfig.json']));
    expect(files).toContain('src/background/index.ts');
    expect(files).toContain('_locales/en/messages.json');
    expect(files).toContain('icons/icon-128.png');
    const top = new Set(files.map((f) => f.split('/')[0]));
    for (const never of ['node_modules', 'dist', 'data', 'packages', 'test', 'server', '.git']) {
      expect(top.has(never)).toBe(false);
    }
  });
});

// After `npm run build` (as `npm test` runs it): the real zips for the stores.
const built = existsSync('dist/chrome/manifest.json') && existsSync('dist/firefox/manifest.json');
describe.runIf(built)('the built packages', () => {
  const packages = storePackages(process.cwd(), pkg.version);

  it('are named for the version of package.json', () => {
    expect(packages.map((p) => p.name)).toEqual([
      `detour-chrome-${pkg.version}.zip`,
      `detour-firefox-${pkg.version}.zip`,
      `detour-source-${pkg.version}.zip`,
    ]);
  });

  it.each([
    ['chrome', 0],
    ['firefox', 1],
  ])('for %s carry manifest.json at the root with that version, and no maps or tests', (_name, i) => {
    const zip = packages[i]?.bytes ?? new Uint8Array();
    const files = names(zip);
    expect(manifestOf(zip).version).toBe(pkg.version);
    expect(files.filter((f) => f.endsWith('.map') || /\.(test|spec)\./.test(f) || f.startsWith('.'))).toEqual(
      [],
    );
  });
});
