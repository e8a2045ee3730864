import { describe, expect, it } from 'vitest';
import { readFeed } from '../../src/shared/feed';
import { ALGORITHM, buildFeed } from '../core/baseline';
import {
  type NetworkCounts,
  PROBE_SCOPE,
  type ProbeCount,
  probeScope,
  type ScopeReading,
  serviceProbes,
} from '../core/probe-scope';
import { T0 } from './helpers';

/** Counts from countries' [down, up] pairs, plus networks that named no country. */
function counts(
  countries: Record<string, [number, number]>,
  unnamed: [number, number] = [0, 0],
): NetworkCounts {
  const pairs = Object.values(countries);
  return {
    down: pairs.reduce((n, [d]) => n + d, unnamed[0]),
    up: pairs.reduce((n, [, u]) => n + u, unnamed[1]),
    countries,
  };
}

describe('the scope rule (defaults: minDown 3, downShare 0.6, clearShare 0.2, minElsewhere 3)', () => {
  it('has the documented defaults', () => {
    expect(ALGORITHM.probes).toEqual({
      minDown: 3,
      downShare: 0.6,
      clearShare: 0.2,
      minElsewhere: 3,
      countriesTop: 10,
    });
    expect(ALGORITHM.observeClientsPerNetwork).toBe(8);
  });

  // [case, per-country [down, up], networks without a country [down, up], reading]
  it.each<[string, Record<string, [number, number]>, [number, number], ScopeReading | null]>([
    // Few networks: nothing is said.
    ['no network', {}, [0, 0], null],
    ['one network down (one user, or one griefer)', { IT: [1, 0] }, [0, 0], null],
    ['two networks down', { IT: [1, 0], FR: [1, 0] }, [0, 0], null],
    ['one network up', { IT: [0, 1] }, [0, 0], null],
    ['two networks up', {}, [0, 2], null],
    // A self-hosted office feed: three networks are enough.
    ['three networks down, no countries', {}, [3, 0], { scope: 'everyone' }],
    ['three networks up', {}, [0, 3], { scope: 'none' }],
    ['three networks, one down', {}, [1, 2], null],
    // Everyone.
    [
      '40 networks in 4 countries, all down',
      { IT: [10, 0], FR: [10, 0], DE: [10, 0], ES: [10, 0] },
      [0, 0],
      { scope: 'everyone' },
    ],
    ['37 of 41 down', { IT: [20, 1], FR: [17, 3] }, [0, 0], { scope: 'everyone' }],
    ['exactly 60 % down', {}, [3, 2], { scope: 'everyone' }],
    ['just under 60 % down', {}, [59, 41], null],
    // Country.
    [
      '10 down in Italy, 10 up elsewhere',
      { IT: [10, 0], FR: [0, 5], DE: [0, 5] },
      [0, 0],
      { scope: 'country', country: 'IT' },
    ],
    [
      '3 down in Italy, 3 up elsewhere (the least)',
      { IT: [3, 0], FR: [0, 3] },
      [0, 0],
      { scope: 'country', country: 'IT' },
    ],
    [
      'Italy 3 down 2 up, elsewhere 5 up',
      { IT: [3, 2], GB: [0, 5] },
      [0, 0],
      { scope: 'country', country: 'IT' },
    ],
    [
      'only 2 networks elsewhere: down for others too',
      { IT: [10, 0], FR: [0, 2] },
      [0, 0],
      { scope: 'everyone' },
    ],
    ['elsewhere 1 of 5 down (20 %, not under it)', { IT: [5, 0], FR: [1, 4] }, [0, 0], { scope: 'everyone' }],
    ['elsewhere 1 of 6 down', { IT: [5, 0], FR: [1, 5] }, [0, 0], { scope: 'country', country: 'IT' }],
    ['networks without a country are not "elsewhere"', { IT: [5, 0] }, [0, 10], null],
    ['only 2 down in Italy', { IT: [2, 0], FR: [0, 10] }, [0, 0], { scope: 'none' }],
    ['Italy down but under 60 %', { IT: [3, 3], FR: [0, 5] }, [0, 0], null],
    // Two countries down: each is part of the other's "elsewhere".
    [
      'two countries down alike: neither works elsewhere',
      { IT: [5, 0], FR: [5, 0], DE: [0, 20] },
      [0, 0],
      null,
    ],
    [
      'a smaller second country stays under clearShare',
      { IT: [5, 0], FR: [3, 0], DE: [0, 20] },
      [0, 0],
      { scope: 'country', country: 'IT' },
    ],
    [
      'Iran blocked, the rest of the world fine',
      { IR: [12, 1], US: [0, 30], DE: [1, 20] },
      [0, 0],
      { scope: 'country', country: 'IR' },
    ],
    // None.
    [
      '120 networks up, 5 down (a few broken networks)',
      { US: [2, 60], GB: [3, 60] },
      [0, 0],
      { scope: 'none' },
    ],
    ['19 % down', {}, [19, 81], { scope: 'none' }],
    ['20 % down: unclear', {}, [20, 80], null],
  ])('%s', (_, countries, unnamed, reading) => {
    expect(probeScope(counts(countries, unnamed))).toEqual(reading);
  });

  it('picks the country with the most networks down when several qualify, then by code', () => {
    const config = { ...PROBE_SCOPE, clearShare: 0.6 };
    expect(probeScope(counts({ IT: [4, 0], FR: [6, 0], DE: [0, 20] }), config)).toEqual({
      scope: 'country',
      country: 'FR',
    });
    expect(probeScope(counts({ IT: [5, 0], FR: [5, 0], DE: [0, 20] }), config)).toEqual({
      scope: 'country',
      country: 'FR',
    });
  });

  it('takes its thresholds from the config', () => {
    const one = counts({}, [1, 0]);
    expect(probeScope(one)).toBeNull();
    expect(probeScope(one, { ...PROBE_SCOPE, minDown: 1 })).toEqual({ scope: 'everyone' });
  });
});

describe('serviceProbes', () => {
  const row = (
    country: string | null,
    down: number,
    up: number,
    service: ProbeCount['service'] = 'whatsapp',
  ) => ({
    service,
    country,
    down,
    up,
  });

  it('sums countries into totals, leaves unnamed networks out of countries, and adds the scope', () => {
    const probes = serviceProbes([
      row('IT', 10, 0),
      row('FR', 0, 4),
      row(null, 1, 6),
      row('DE', 0, 1),
      row('GB', 0, 0, 'slack'),
    ]);
    expect([...probes.keys()]).toEqual(['whatsapp']);
    expect(probes.get('whatsapp')).toEqual({
      down: 11,
      up: 11,
      countries: { IT: [10, 0], FR: [0, 4], DE: [0, 1] },
      scope: 'country',
      scopeCountry: 'IT',
    });
  });

  it('lists the 10 countries with the most networks, always with the scope’s country', () => {
    const big = ['US', 'GB', 'DE', 'FR', 'ES', 'PT', 'NL', 'BE', 'AT', 'CH', 'SE'].map((c) => row(c, 0, 5));
    const probes = serviceProbes([...big, row('IT', 3, 0)]).get('whatsapp');
    expect(probes?.scope).toBe('country');
    expect(probes?.scopeCountry).toBe('IT');
    const listed = Object.keys(probes?.countries ?? {});
    expect(listed).toHaveLength(10);
    expect(listed).toContain('IT');
    // What a reader keeps (the ten largest) still holds it.
    const doc = buildFeed({ now: T0, counts: [], breakdown: [], probes: [...big, row('IT', 3, 0)] });
    const read = readFeed(JSON.parse(JSON.stringify(doc)));
    if ('error' in read) throw new Error(read.error);
    expect(read.feed.services.whatsapp?.probes?.countries.IT).toEqual([3, 0]);
  });

  it('drops rows it can’t read: unknown services and countries, bad counts, empty networks', () => {
    const probes = serviceProbes([
      { service: 'myspace' as ProbeCount['service'], country: 'IT', down: 5, up: 0 },
      row('XX', 2, 0),
      row('IT', Number.NaN, 1),
      row('FR', -1, 1),
      row('ES', 0, 0),
      row('DE', 1, 0),
    ]);
    expect(probes.get('whatsapp')).toEqual({ down: 3, up: 0, countries: { DE: [1, 0] }, scope: 'everyone' });
  });
});

describe('buildFeed with observations', () => {
  it('lists a service observed but never reported, at level normal with zero reports, and readFeed takes it', () => {
    const now = T0 + 5 * 60_000;
    const doc = buildFeed({
      now,
      counts: [],
      breakdown: [],
      probes: [{ service: 'signal', country: 'IT', down: 0, up: 4 }],
      observe: { sample: 0.5, spreadSeconds: 60 },
    });
    expect(doc.observe).toEqual({ sample: 0.5, spreadSeconds: 60 });
    const signal = doc.services.signal;
    expect(signal).toMatchObject({ level: 'normal', recent: 0, problems: {}, countries: {} });
    expect(signal?.series.every((p) => p.reports === 0)).toBe(true);
    expect(signal?.probes).toEqual({ down: 0, up: 4, countries: { IT: [0, 4] }, scope: 'none' });
    const read = readFeed(JSON.parse(JSON.stringify(doc)));
    if ('error' in read) throw new Error(read.error);
    expect(read.dropped).toBe(0);
    expect(read.feed.services.signal?.probes).toEqual(signal?.probes);
    expect(read.feed.observe).toEqual({ sample: 0.5, spreadSeconds: 60 });
  });

  it('adds no probes and no hints when there are none', () => {
    const doc = buildFeed({
      now: T0,
      counts: [{ service: 'whatsapp', bucket: T0, reports: 2, networks: 2 }],
      breakdown: [],
    });
    expect(doc.services.whatsapp?.probes).toBeUndefined();
    expect(doc.observe).toBeUndefined();
    expect(Object.keys(doc.services)).toEqual(['whatsapp']);
  });
});
