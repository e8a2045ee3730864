// Feed documents for tests, shared by the unit and end-to-end tests of the crowd of browsers.
import type { FeedDocument, ServiceProbes } from '../src/shared/feed';

/**
 * A feed at `at` in which nobody reports WhatsApp, with what the crowd of browsers sees of it
 * (`probes`), or nothing (null).
 */
export function feedWithProbes(probes: ServiceProbes | null, at: number): FeedDocument {
  return {
    version: 1,
    generatedAt: new Date(at).toISOString(),
    bucketMinutes: 15,
    services: {
      whatsapp: {
        level: 'normal',
        recent: 0,
        baseline: 0,
        series: [],
        problems: {},
        countries: {},
        ...(probes ? { probes } : {}),
      },
    },
  };
}
