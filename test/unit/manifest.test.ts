// manifest.json is the Chrome manifest as a file; vite.config.ts applies Firefox's differences. Both
// built outputs are checked here (npm test builds before it runs the tests).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import pkg from '../../package.json' with { type: 'json' };
import { probeOriginPatterns } from '../../src/core/catalog';
import { GECKO_ID } from '../../vite.config';

const ROOT = resolve(import.meta.dirname, '../..');

function built(browser: 'chrome' | 'firefox'): Record<string, unknown> & typeof manifest {
  const path = join(ROOT, 'dist', browser, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Everything but what the build rewrites (file names of the background) or adds for Firefox. */
function shared(m: Record<string, unknown>): Record<string, unknown> {
  const { background: _b, browser_specific_settings: _s, web_accessible_resources: _w, ...rest } = m;
  return rest;
}

describe('manifest.json', () => {
  it('carries the version of package.json', () => {
    expect(manifest.version).toBe(pkg.version);
  });

  it('asks at install only for alarms, storage and notifications, and the probe hosts as optional', () => {
    expect(manifest.permissions).toEqual(['alarms', 'storage', 'notifications']);
    expect(manifest).not.toHaveProperty('host_permissions');
    // The catalog decides which hosts are probed: the manifest must not drift from it.
    expect(manifest.optional_host_permissions).toEqual(probeOriginPatterns());
  });

  it('is a Chrome manifest: a module service worker, no Firefox settings', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.background).toEqual({ service_worker: 'src/background/index.ts', type: 'module' });
    expect(manifest).not.toHaveProperty('browser_specific_settings');
  });
});

describe('the built manifests', () => {
  it('dist/chrome is manifest.json with the worker bundled', () => {
    const chrome = built('chrome');
    expect(shared(chrome)).toEqual(shared(manifest));
    expect(chrome.background).toEqual({ service_worker: expect.stringMatching(/\.js$/), type: 'module' });
    expect(chrome).not.toHaveProperty('browser_specific_settings');
  });

  it('dist/firefox is the same with background scripts, an add-on id and the data consent', () => {
    const firefox = built('firefox');
    expect(shared(firefox)).toEqual(shared(manifest));
    expect(firefox.background).toEqual({ scripts: [expect.stringMatching(/\.js$/)], type: 'module' });
    expect(firefox.browser_specific_settings).toEqual({
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: {
          required: ['none'],
          optional: ['technicalAndInteraction', 'locationInfo'],
        },
      },
    });
  });
});
