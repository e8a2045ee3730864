// Every permission in either manifest must be explained in the permissions table of README.md and of
// PRIVACY.md: a new permission fails here until both say why it is needed and what it lets out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { hostOfPattern } from '../../src/core/host-access';
import { builtManifest } from './manifests';

type Manifest = Awaited<ReturnType<typeof builtManifest>>;

/** Permission names, host names of host patterns, and Firefox data collection types. */
function permissionNames(m: Manifest): string[] {
  const gecko = m.browser_specific_settings?.gecko;
  const data = gecko?.data_collection_permissions;
  return [
    ...(m.permissions ?? []),
    ...(m.optional_permissions ?? []),
    ...[...(m.host_permissions ?? []), ...(m.optional_host_permissions ?? [])].map((p) =>
      p === '<all_urls>' ? p : hostOfPattern(p),
    ),
    ...(data?.required ?? []).filter((d) => d !== 'none'),
    ...(data?.optional ?? []),
  ].map(String);
}

/** The `code` spans of the tables under every heading that mentions permissions. */
function explainedIn(markdown: string): Set<string> {
  const explained = new Set<string>();
  let inPermissions = false;
  for (const line of markdown.split('\n')) {
    if (/^#{1,6} /.test(line)) inPermissions = /permission/i.test(line);
    else if (inPermissions && line.startsWith('|')) {
      for (const m of line.matchAll(/`([^`]+)`/g)) if (m[1]) explained.add(m[1]);
    }
  }
  return explained;
}

const docs = {
  'README.md': explainedIn(readFileSync('README.md', 'utf8')),
  'PRIVACY.md': explainedIn(readFileSync('PRIVACY.md', 'utf8')),
};

describe.each(['chrome', 'firefox'] as const)('the %s manifest', (browser) => {
  it.each(Object.keys(docs) as (keyof typeof docs)[])(
    'asks for nothing that %s does not explain in its permissions table',
    async (doc) => {
      const names = permissionNames(await builtManifest(browser));
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !docs[doc].has(n))).toEqual([]);
    },
  );

  it('carries the version of package.json', async () => {
    expect((await builtManifest(browser)).version).toBe(pkg.version);
  });
});

describe('the permissions check', () => {
  it('fails for a permission, a host or a data type the documents do not name', async () => {
    const m = await builtManifest('firefox');
    const grown: Manifest = {
      ...m,
      permissions: [...(m.permissions ?? []), 'bookmarks'],
      host_permissions: ['https://tracker.example/*'],
    };
    const missing = permissionNames(grown).filter((n) => !docs['PRIVACY.md'].has(n));
    expect(missing).toEqual(['bookmarks', 'tracker.example']);
  });

  it('reads only the permissions tables, not a mention elsewhere', () => {
    const md = '# Intro\n| `bookmarks` | elsewhere |\n## Permissions\n| `alarms` | why |\n## Other\n`tabs`\n';
    expect([...explainedIn(md)]).toEqual(['alarms']);
  });
});
