// The yardstick for the feed read bench: a bare `node:http` server, in its own process, answering every
// GET with one static JSON document held in memory (gzipped once at start, sent gzipped when the client
// accepts it), with the same headers the feed server sends. No framework, no routing, no cache checks.
// `node --import tsx bench/bare-server.ts <document.json>`: prints {"port": N} on stdout once listening.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-server.ts <document.json>');
const body = readFileSync(file);
const gzip = gzipSync(body);
const common = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'etag',
  'cache-control': 'public, max-age=15',
  'content-type': 'application/json',
  vary: 'accept-encoding',
};
const plainHeaders = { ...common, etag: '"static"', 'content-length': String(body.length) };
const gzipHeaders = {
  ...common,
  etag: '"static-gz"',
  'content-encoding': 'gzip',
  'content-length': String(gzip.length),
};

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  const zipped = req.headers['accept-encoding']?.includes('gzip') ?? false;
  res.writeHead(200, zipped ? gzipHeaders : plainHeaders);
  res.end(zipped ? gzip : body);
});
server.listen(0, '::', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
