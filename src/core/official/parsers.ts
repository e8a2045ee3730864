import { dnsOverHttpsUrl, type OfficialSource } from '../catalog';
import { parseGoogleWorkspace } from './google-workspace';
import { parseSignalUptime } from './signal-uptime';
import { parseSlackStatus } from './slack-status';
import { parseStatuspage } from './statuspage';
import type { OfficialParser } from './types';

// The official status parsers by source kind. Each validates its document with a schema (unknown fields
// ignored) and never throws: anything unexpected is an unknown report with a short reason.

export { parseGoogleWorkspace, WORKSPACE_PRODUCTS } from './google-workspace';
export { parseSignalUptime } from './signal-uptime';
export { parseSlackStatus, SLACK_MESSAGING_SERVICES } from './slack-status';
export { parseStatuspage, STATUSPAGE_MESSAGING_COMPONENTS } from './statuspage';

export const OFFICIAL_PARSERS = {
  statuspage: parseStatuspage,
  'slack-status': parseSlackStatus,
  'signal-uptime-dns': parseSignalUptime,
  'google-workspace': parseGoogleWorkspace,
} as const satisfies Record<OfficialSource['kind'], OfficialParser>;

/** Where a source is read. Signal's DNS record goes through Google's DNS-over-HTTPS JSON API. */
export function officialUrl(source: OfficialSource): string {
  switch (source.kind) {
    case 'statuspage':
    case 'slack-status':
    case 'google-workspace':
      return source.url;
    case 'signal-uptime-dns':
      return dnsOverHttpsUrl(source.name);
  }
}
