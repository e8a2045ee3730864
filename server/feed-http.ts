// The answer to GET /v1/feed, shared by the Fastify route and the fast path in front of it. The cached
// document changes at most every few seconds while readers come by the thousand per second, so its
// answers (status, headers, body, per encoding) are made once per document and a read only picks one.
// The fast path answers a plain `GET /v1/feed` straight from node:http while the cached document is
// fresh, before Fastify's routing, request and reply objects and hooks: those cost more than the read
// itself (bench: `npm run bench`, feed_reads_vs_bare_node_http). Anything else goes on to Fastify.

import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type CachedFeed, matchesEtag } from './feed-cache';

export interface FeedAnswer {
  readonly status: 200 | 304;
  readonly headers: Readonly<OutgoingHttpHeaders>;
  /** null for a 304. */
  readonly body: Buffer | null;
}

/** True when an Accept-Encoding header accepts gzip (q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

interface Encoding {
  readonly ok: FeedAnswer;
  readonly notModified: FeedAnswer;
}

function encoding(doc: CachedFeed, gzip: boolean): Encoding {
  const common = {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'etag',
    'cache-control': 'public, max-age=15',
    etag: gzip ? doc.etagGzip : doc.etag,
    vary: 'accept-encoding',
  };
  const body = gzip ? doc.gzip : doc.body;
  const ok = {
    ...common,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    'content-type': 'application/json',
    'content-length': body.length,
  };
  return {
    ok: { status: 200, headers: Object.freeze(ok), body },
    notModified: { status: 304, headers: Object.freeze(common), body: null },
  };
}

/** Picks the answer for one read; the answers of the last document and the last header seen are kept. */
export class FeedAnswers {
  private doc: CachedFeed | null = null;
  private identity: Encoding | null = null;
  private gzip: Encoding | null = null;
  // Readers of one kind send the same Accept-Encoding every time: parse it once.
  private lastAcceptEncoding: string | undefined;
  private lastGzip = false;

  answer(doc: CachedFeed, headers: IncomingHttpHeaders): FeedAnswer {
    if (doc !== this.doc) {
      this.doc = doc;
      this.identity = encoding(doc, false);
      this.gzip = encoding(doc, true);
    }
    const accept = headers['accept-encoding'];
    if (accept !== this.lastAcceptEncoding) {
      this.lastAcceptEncoding = accept;
      this.lastGzip = acceptsGzip(accept);
    }
    const chosen = (this.lastGzip ? this.gzip : this.identity) as Encoding;
    return matchesEtag(headers['if-none-match'], doc.hash) ? chosen.notModified : chosen.ok;
  }
}

/**
 * Answers `GET /v1/feed` (exactly that path) from node:http when `fresh()` gives a document; answers
 * false, having done nothing, for anything else (HEAD, a query, a stale or missing document, shutdown),
 * which Fastify then handles.
 */
export function feedFastPath(
  answers: FeedAnswers,
  fresh: () => CachedFeed | null,
  onAnswer: (status: 200 | 304) => void,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.url !== '/v1/feed' || req.method !== 'GET') return false;
    const doc = fresh();
    if (!doc) return false;
    const a = answers.answer(doc, req.headers);
    onAnswer(a.status);
    res.writeHead(a.status, a.headers as OutgoingHttpHeaders);
    res.end(a.body ?? undefined);
    return true;
  };
}
