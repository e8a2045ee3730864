import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm test provisioning (scripts/provision.ts)', () => {
  it('does nothing when everything is there', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/provision.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });

  it('stops at once with the one command to run when it cannot install', () => {
    // No apt-get on the PATH and a Chromium that is not there: nothing can be installed without asking.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/provision.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: '/nonexistent', CHROME_PATH: '/nonexistent/chromium' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The tests need Chromium');
    expect(run.stderr).toMatch(/\n {2}sudo apt-get install -y chromium\n/);
  });
});
