// Store packages: the Chrome/Edge and Firefox zips (a built extension, manifest.json at the zip's root)
// and the source archive AMO asks for. Zips are reproducible: entries sorted, one fixed timestamp.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/** What the source archive holds: everything `npm ci && npm run build` needs, and nothing else. */
export const SOURCE_ENTRIES = [
  'package.json',
  'package-lock.json',
  'README.md',
  'PRIVACY.md',
  'manifest.json',
  'vite.config.ts',
  'tsconfig.json',
  'src',
  'icons',
  '_locales',
] as const;

/** Never shipped: source maps, tests, dot-files (editor and tool state), OS litter. */
export function isShippable(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (parts.some((p) => p.startsWith('.'))) return false;
  if (name.endsWith('.map')) return false;
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(name)) return false;
  if (parts.includes('__tests__') || name === 'Thumbs.db') return false;
  return true;
}

/** 1980-01-01, the earliest time a zip can hold: the same inputs always make the same bytes. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Every shippable file under `dir`, as zip paths (forward slashes) relative to `dir`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      const path = relative(dir, full).split(sep).join('/');
      if (!isShippable(path)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

function zipOf(files: readonly { path: string; full: string }[]): Uint8Array {
  const entries: Zippable = {};
  for (const { path, full } of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    // Images are already compressed: store them, deflate the rest.
    const level = /\.(png|jpe?g|webp|gif)$/.test(path) ? 0 : 9;
    entries[path] = [readFileSync(full), { level, mtime: FIXED_MTIME }];
  }
  return zipSync(entries);
}

/** Zips a built extension with manifest.json at the root, after checking it carries `version`. */
export function zipExtension(dir: string, version: string): Uint8Array {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} not found: run \`npm run build\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown };
  if (manifest.version !== version) {
    throw new Error(`${manifestPath} has version ${String(manifest.version)}, package.json has ${version}`);
  }
  return zipOf(listFiles(dir).map((path) => ({ path, full: join(dir, path) })));
}

/** The source archive for AMO's reviewers, from the project root. */
export function zipSource(root: string): Uint8Array {
  const files: { path: string; full: string }[] = [];
  for (const entry of SOURCE_ENTRIES) {
    const full = join(root, entry);
    if (!existsSync(full)) throw new Error(`source archive: ${entry} is missing`);
    if (statSync(full).isDirectory()) {
      for (const path of listFiles(full)) files.push({ path: `${entry}/${path}`, full: join(full, path) });
    } else files.push({ path: entry, full });
  }
  return zipOf(files);
}

export interface StorePackage {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The three packages for one version, named as the stores' upload pages will show them. */
export function storePackages(root: string, version: string): StorePackage[] {
  return [
    { name: `detour-chrome-${version}.zip`, bytes: zipExtension(join(root, 'dist', 'chrome'), version) },
    { name: `detour-firefox-${version}.zip`, bytes: zipExtension(join(root, 'dist', 'firefox'), version) },
    { name: `detour-source-${version}.zip`, bytes: zipSource(root) },
  ];
}
