import { describe, expect, it } from 'vitest';
import { type CrowdSignal, fuseSignals } from '../../src/core/fusion';
import type { OfficialReport, OfficialState } from '../../src/core/official/types';
import type { CrowdScope } from '../../src/core/scope';
import type { DegradedCause, Status } from '../../src/core/types';

const official = (state: OfficialState, title: string | null = null): OfficialReport => ({
  service: 'discord',
  source: 'statuspage',
  state,
  title,
  problem: state === 'unknown' ? 'not JSON' : null,
});
const crowd = (level: CrowdSignal['level']): CrowdSignal => ({
  level,
  recent: 412,
  baseline: 12,
  problem: null,
  probes: null,
});

type Row = [Status, OfficialState | null, CrowdSignal['level'] | null, Status, 'high' | 'medium' | 'low'];

describe('fuseSignals', () => {
  // Every pair of probe × official verdicts, with no crowd signal.
  it.each<Row>([
    ['up', null, null, 'up', 'medium'],
    ['up', 'operational', null, 'up', 'high'],
    ['up', 'minor', null, 'degraded', 'low'],
    ['up', 'major', null, 'down', 'low'],
    ['up', 'maintenance', null, 'up', 'medium'],
    ['up', 'unknown', null, 'up', 'medium'],
    ['degraded', null, null, 'degraded', 'medium'],
    ['degraded', 'operational', null, 'degraded', 'low'],
    ['degraded', 'minor', null, 'degraded', 'high'],
    ['degraded', 'major', null, 'down', 'high'], // both say something is wrong
    ['degraded', 'maintenance', null, 'degraded', 'medium'],
    ['degraded', 'unknown', null, 'degraded', 'medium'],
    ['down', null, null, 'down', 'medium'],
    ['down', 'operational', null, 'down', 'low'],
    ['down', 'minor', null, 'down', 'high'],
    ['down', 'major', null, 'down', 'high'],
    ['down', 'maintenance', null, 'down', 'medium'],
    ['down', 'unknown', null, 'down', 'medium'],
    // Probe × crowd.
    ['up', null, 'normal', 'up', 'high'],
    ['up', null, 'elevated', 'up', 'medium'],
    ['up', null, 'outage', 'degraded', 'low'],
    ['up', null, 'unknown', 'up', 'medium'],
    ['down', null, 'normal', 'down', 'low'],
    ['down', null, 'outage', 'down', 'high'],
    ['degraded', null, 'outage', 'degraded', 'high'],
    // Official × crowd (probes up).
    ['up', 'major', 'outage', 'down', 'low'],
    ['up', 'operational', 'outage', 'degraded', 'low'],
    ['up', 'minor', 'outage', 'degraded', 'low'],
    ['down', 'major', 'outage', 'down', 'high'],
    ['down', 'major', 'normal', 'down', 'low'],
  ])('probes %s + official %s + crowd %s → %s (%s confidence)', (probe, o, c, status, confidence) => {
    const v = fuseSignals(probe, o ? official(o) : undefined, c ? crowd(c) : undefined);
    expect({ status: v.status, confidence: v.confidence }).toEqual({ status, confidence });
  });

  it('lets the user’s offline state override every other signal', () => {
    for (const o of ['major', 'operational'] as const) {
      expect(fuseSignals('unknown', official(o), crowd('outage')).status).toBe('unknown');
    }
  });

  it('says which source disagrees', () => {
    const v = fuseSignals('down', official('operational'), undefined);
    expect(v.reasons).toContainEqual({ code: 'disagree', args: ['official'] });
  });

  it('shows scheduled maintenance as maintenance, not as an outage', () => {
    const v = fuseSignals('up', official('maintenance', 'Database upgrade'), undefined);
    expect(v).toMatchObject({ status: 'up', maintenance: true });
    expect(v.reasons).toEqual([
      { code: 'officialMaintenance' },
      { code: 'officialIncident', args: ['Database upgrade'] },
    ]);
  });

  it('turns Discord down on an official major outage even while its probe answers', () => {
    expect(fuseSignals('up', official('major', 'API outage'), undefined).status).toBe('down');
  });

  it('never lets a broken status page change the verdict', () => {
    for (const probe of ['up', 'degraded', 'down'] as const) {
      expect(fuseSignals(probe, official('unknown'), undefined).status).toBe(probe);
    }
  });

  it('explains a crowd outage in numbers', () => {
    expect(fuseSignals('up', undefined, crowd('outage')).reasons[0]).toEqual({
      code: 'crowdOutage',
      args: [412, 12],
    });
  });

  // Why a verdict is degraded, as data: the popup words a crowd spike as a possible outage.
  it.each<
    [
      string,
      Status,
      'slow' | null,
      OfficialState | null,
      CrowdSignal['level'] | null,
      Status,
      DegradedCause | null,
    ]
  >([
    ['a crowd spike while the probes answer', 'up', null, null, 'outage', 'degraded', 'crowd'],
    ['an official minor incident while the probes answer', 'up', null, 'minor', null, 'degraded', 'official'],
    ['both: the crowd, with its numbers, comes first', 'up', null, 'minor', 'outage', 'degraded', 'crowd'],
    ['slow probes', 'degraded', 'slow', null, null, 'degraded', 'slow'],
    [
      'slow probes and a crowd spike: the probes’ own',
      'degraded',
      'slow',
      null,
      'outage',
      'degraded',
      'slow',
    ],
    ['degraded probes without a stated cause are slow', 'degraded', null, null, null, 'degraded', 'slow'],
    ['a crowd spike and probes down: no cause, it is down', 'down', null, null, 'outage', 'down', null],
    ['an official major outage: down', 'up', null, 'major', 'outage', 'down', null],
    ['everything fine', 'up', null, 'operational', 'normal', 'up', null],
    ['more reports than usual is no cause', 'up', null, null, 'elevated', 'up', null],
    ['offline', 'unknown', null, 'minor', 'outage', 'unknown', null],
  ])('names the cause: %s', (_name, probe, probeCause, o, c, status, cause) => {
    const v = fuseSignals(probe, o ? official(o) : undefined, c ? crowd(c) : undefined, probeCause);
    expect({ status: v.status, cause: v.cause }).toEqual({ status, cause });
  });
});

describe('fuseSignals with the crowd of browsers (scope)', () => {
  const scope = (kind: CrowdScope['kind']): CrowdScope => ({
    kind,
    country: kind === 'country' ? 'IT' : null,
    down: kind === 'network' ? 1 : 37,
    total: kind === 'network' ? 121 : 41,
  });
  type ScopeRow = [
    Status,
    OfficialState | null,
    CrowdSignal['level'] | null,
    CrowdScope['kind'] | null,
    Status,
    DegradedCause | null,
    'high' | 'medium' | 'low',
  ];
  it.each<ScopeRow>([
    // Failing here while others reach it: this network's, never down (two sources agree on it).
    ['down', null, null, 'network', 'degraded', 'local', 'high'],
    ['down', 'operational', 'normal', 'network', 'degraded', 'local', 'high'],
    ['down', 'minor', null, 'network', 'degraded', 'local', 'high'],
    ['down', null, 'outage', 'network', 'degraded', 'local', 'high'],
    // …unless the service says itself that it is down: then the other browsers disagree.
    ['down', 'major', null, 'network', 'down', null, 'low'],
    // Down for everyone, or in a country, and here: down.
    ['down', null, null, 'everyone', 'down', null, 'high'],
    ['down', 'operational', null, 'everyone', 'down', null, 'low'],
    ['down', null, null, 'country', 'down', null, 'medium'],
    // Everyone else can't reach it while it answers here: a possible outage, like a report spike.
    ['up', null, null, 'everyone', 'degraded', 'crowd', 'low'],
    ['up', null, 'outage', 'everyone', 'degraded', 'crowd', 'low'],
    ['degraded', null, null, 'everyone', 'degraded', 'slow', 'high'],
    // A country's outage says nothing of this browser's service; nor does "can't tell".
    ['up', null, null, 'country', 'up', null, 'medium'],
    ['up', null, null, 'unknown', 'up', null, 'medium'],
    ['down', null, null, 'unknown', 'down', null, 'medium'],
    ['unknown', null, null, 'everyone', 'unknown', null, 'low'],
  ])(
    'probes %s + official %s + crowd %s + scope %s → %s (%s, %s confidence)',
    (probe, o, c, k, status, cause, confidence) => {
      const v = fuseSignals(
        probe,
        o ? official(o) : undefined,
        c ? crowd(c) : undefined,
        probe === 'degraded' ? 'slow' : null,
        k ? scope(k) : null,
      );
      expect({ status: v.status, cause: v.cause, confidence: v.confidence }).toEqual({
        status,
        cause,
        confidence,
      });
    },
  );

  it('names the other browsers when they disagree with an official major outage', () => {
    const v = fuseSignals('down', official('major'), undefined, null, scope('network'));
    expect(v.reasons).toContainEqual({ code: 'disagree', args: ['browsers'] });
  });

  it('does not call the sources that find it fine "disagreeing" with a local failure', () => {
    const v = fuseSignals('down', official('operational'), crowd('normal'), null, scope('network'));
    expect(v.reasons.filter((r) => r.code === 'disagree')).toEqual([]);
  });
});
