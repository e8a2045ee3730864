import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeInternet, startFakeInternet } from './fake-internet';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Opts {
  secure?: boolean;
  method?: string;
  timeoutMs?: number;
}

let fi: FakeInternet;

function request(host: string, path: string, opts: Opts = {}): Promise<Reply> {
  const { secure = true, method = 'GET', timeoutMs = 2_000 } = opts;
  const hostName = host.replace(/:\d+$/, '');
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: '127.0.0.1',
      port: fi.port,
      method,
      path,
      headers: { host },
      agent: false,
      timeout: timeoutMs,
      ...(secure ? { servername: hostName, rejectUnauthorized: false } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  fi = await startFakeInternet();
});

afterAll(async () => {
  await fi?.close();
});

beforeEach(() => {
  fi.reset();
  fi.requests.length = 0;
});

describe('fake internet', () => {
  it('answers ok over TLS and plain HTTP on the same port', async () => {
    const tls = await request('web.whatsapp.com', '/');
    expect(tls.status).toBe(200);
    expect(tls.body).toContain('ok web.whatsapp.com');
    expect(tls.headers['content-type']).toMatch(/text\/html/);
    expect(tls.headers['access-control-allow-origin']).toBe('*');
    expect(tls.headers['cache-control']).toBe('no-store');
    expect(tls.headers.server).toBeTruthy();
    expect(tls.headers.date).toBeTruthy();

    const plain = await request('Example.COM:8080', '/x?y=1', { secure: false });
    expect(plain.status).toBe(200);
    expect(plain.body).toContain('ok example.com');

    expect(fi.requests.map((r) => [r.host, r.path, r.secure, r.method])).toEqual([
      ['web.whatsapp.com', '/', true, 'GET'],
      ['example.com', '/x?y=1', false, 'GET'],
    ]);
    for (const r of fi.requests) {
      expect(r.bytesIn).toBeGreaterThan(20);
      expect(r.at).toBeGreaterThan(0);
    }
  });

  it('serves realistic connectivity-check answers', async () => {
    const g = await request('connectivitycheck.gstatic.com', '/generate_204', { secure: false });
    expect(g.status).toBe(204);
    expect(g.body).toBe('');
    expect((await request('www.google.com', '/generate_204')).status).toBe(204);

    const ff = await request('detectportal.firefox.com', '/success.txt', { secure: false });
    expect(ff).toMatchObject({ status: 200, body: 'success\n' });
    expect(ff.headers['content-type']).toMatch(/^text\/plain/);

    const apple = await request('captive.apple.com', '/hotspot-detect.html', { secure: false });
    expect(apple.body).toBe('<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>');

    const ms = await request('www.msftconnecttest.com', '/connecttest.txt', { secure: false });
    expect(ms.body).toBe('Microsoft Connect Test');

    const head = await request('web.whatsapp.com', '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('reset mode gives a socket error (TLS and plain), and is still recorded', async () => {
    fi.setHost('web.whatsapp.com', 'reset');
    await expect(request('web.whatsapp.com', '/')).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(request('web.whatsapp.com', '/', { secure: false })).rejects.toBeInstanceOf(Error);
    // other hosts are unaffected
    expect((await request('telegram.org', '/')).status).toBe(200);
    expect(fi.requests.map((r) => r.host)).toEqual(['web.whatsapp.com', 'web.whatsapp.com', 'telegram.org']);
  });

  it('hang mode never answers (client times out)', async () => {
    fi.setHosts(['a.example', 'b.example'], 'hang');
    const started = Date.now();
    await expect(request('a.example', '/', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(request('b.example', '/', { timeoutMs: 300, secure: false })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(fi.requests.map((r) => r.host)).toEqual(['a.example', 'b.example']);
  });

  it('a timed hang answers nothing for hangMs, then resets the connection', async () => {
    fi.setHost('slow.example', { hangMs: 300 });
    for (const secure of [true, false]) {
      const started = Date.now();
      await expect(request('slow.example', '/', { secure, timeoutMs: 2_000 })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(1_500);
    }
    expect(fi.requests.map((r) => r.host)).toEqual(['slow.example', 'slow.example']);
  });

  it('status mode answers with that status; default mode applies to unlisted hosts', async () => {
    fi.setHost('web.whatsapp.com', { status: 503 });
    const r = await request('web.whatsapp.com', '/');
    expect(r.status).toBe(503);
    expect(r.body).toContain('503');
    expect(r.headers['access-control-allow-origin']).toBe('*');

    fi.setDefault({ status: 500 });
    fi.setHost('ok.example', 'ok');
    expect((await request('anything.example', '/')).status).toBe(500);
    expect((await request('ok.example', '/')).status).toBe(200);

    fi.reset();
    expect((await request('web.whatsapp.com', '/')).status).toBe(200);
    expect((await request('anything.example', '/')).status).toBe(200);
  });

  it('portal mode redirects to the portal login page', async () => {
    fi.setDefault('portal');
    const r = await request('connectivitycheck.gstatic.com', '/generate_204', { secure: false });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('http://portal.example/login');
    const s = await request('web.whatsapp.com', '/');
    expect(s.status).toBe(302);

    const login = await request('portal.example', '/login', { secure: false });
    expect(login.status).toBe(200);
    expect(login.headers['content-type']).toMatch(/text\/html/);
    expect(login.body).toMatch(/<form/i);

    // portal.example serves the login page even when only the probed host is captive
    fi.reset();
    fi.setHost('captive.apple.com', 'portal');
    expect((await request('captive.apple.com', '/hotspot-detect.html', { secure: false })).status).toBe(302);
    expect((await request('portal.example', '/login', { secure: false })).body).toMatch(/<form/i);
  });

  it('route handlers win only in ok mode', async () => {
    fi.route('status.example', '/api/v2/status.json', (req) => ({
      headers: { 'content-type': 'application/json', 'x-method': req.method ?? '' },
      body: JSON.stringify({ status: { indicator: 'none' } }),
    }));
    fi.route('status.example', '/teapot', () => ({ status: 418, body: 'short and stout' }));

    const r = await request('status.example', '/api/v2/status.json?x=1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-method']).toBe('GET');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(r.body)).toEqual({ status: { indicator: 'none' } });

    expect(await request('status.example', '/teapot', { secure: false })).toMatchObject({
      status: 418,
      body: 'short and stout',
    });

    fi.setHost('status.example', { status: 502 });
    expect((await request('status.example', '/api/v2/status.json')).status).toBe(502);
  });

  it('close() resolves while a hanging socket is open', async () => {
    const own = await startFakeInternet();
    own.setDefault('hang');
    const pending = new Promise<string>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: own.port, path: '/', headers: { host: 'x.example' }, agent: false },
        () => resolve('answered'),
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
      req.end();
    });
    // an idle TLS-less connection that never sends a byte
    const idle = new Promise<void>((resolve) => {
      const s = http.request({ host: '127.0.0.1', port: own.port, agent: false });
      s.on('socket', (sock) => sock.on('close', () => resolve()));
      s.on('error', () => {});
      // never end() this request: headers are not even flushed
    });
    // wait until the hanging request reached the server
    for (let i = 0; i < 100 && own.requests.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(own.requests).toHaveLength(1);

    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toMatch(/^error/);
    await idle;
  });
});
