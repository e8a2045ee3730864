import * as v from 'valibot';
import { PARSE_CONFIG, quote, readJson, record, shapeProblem } from './statuspage';
import { type OfficialParser, type OfficialReport, unknownReport } from './types';

// Signal's own uptime signal: the DNS A record of `uptime.signal.org` is 127.0.0.1 when Signal is up and
// 127.0.0.2 during an outage (what the Android app checks). Read through DNS-over-HTTPS JSON, which Google
// (`dns.google/resolve`) and Cloudflare (`application/dns-json`) share. Pure, never throws.

const SOURCE = 'signal-uptime-dns';
const A_RECORD = 1;
const UP = '127.0.0.1';
const DOWN = '127.0.0.2';

const DohAnswer = record({
  Status: v.number(),
  Answer: v.optional(v.array(record({ type: v.number(), data: v.string() }))),
});

const RCODE: Readonly<Record<number, string>> = {
  1: 'DNS query refused as malformed (FORMERR)',
  2: 'DNS server failure (SERVFAIL)',
  3: 'no such name (NXDOMAIN)',
  5: 'DNS query refused (REFUSED)',
};

export const parseSignalUptime: OfficialParser = (body, service) => {
  const json = readJson(body);
  if (!json.ok) return unknownReport(service, SOURCE, json.problem);
  const parsed = v.safeParse(DohAnswer, json.value, PARSE_CONFIG);
  if (!parsed.success) return unknownReport(service, SOURCE, shapeProblem(parsed.issues));
  const { Status: rcode, Answer: answer } = parsed.output;

  if (rcode !== 0) {
    const known = Object.hasOwn(RCODE, rcode) ? RCODE[rcode] : undefined;
    return unknownReport(service, SOURCE, known ?? `DNS error status ${String(rcode).slice(0, 12)}`);
  }
  const addresses = [...new Set((answer ?? []).filter((r) => r.type === A_RECORD).map((r) => r.data.trim()))];
  const [address] = addresses;
  if (address === undefined) return unknownReport(service, SOURCE, 'no A record in the answer');
  if (addresses.length > 1) return unknownReport(service, SOURCE, 'conflicting A records');
  const known = (state: 'operational' | 'major'): OfficialReport => ({
    service,
    source: SOURCE,
    state,
    title: null,
    problem: null,
  });
  if (address === UP) return known('operational');
  if (address === DOWN) return known('major');
  return unknownReport(service, SOURCE, `unexpected answer ${quote(address, 40)}`);
};
