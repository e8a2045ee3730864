// Production runs the compiled server (npm run build --workspace server → server/dist/main.js) with plain
// node: no tsx, no TypeScript, no dev dependencies. Built and started here the way the image runs it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { http, postReport, ROOT, removeTempDirs, report, tempDir } from './helpers';

afterAll(removeTempDirs);

it('builds to one JavaScript file that runs with plain node, counts a report and drains on SIGTERM', async () => {
  execFileSync('npm', ['run', 'build', '--workspace', 'server'], { cwd: ROOT, stdio: 'ignore' });
  const main = join(ROOT, 'server/dist/main.js');
  expect(existsSync(main)).toBe(true);
  const child = spawn(
    process.execPath,
    [main, '--port', '0', '--host', '127.0.0.1', '--db', join(tempDir(), 'f.sqlite')],
    {
      cwd: tempDir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    exited.then((code) => reject(new Error(`exited ${code} before listening`)));
  });
  const url = `http://127.0.0.1:${port}`;
  expect((await http(`${url}/healthz`)).status).toBe(200);
  expect((await postReport(url, report())).json()).toEqual({ counted: true });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
