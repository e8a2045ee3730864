import { describe, expect, it } from 'vitest';
import { probeOriginPatterns } from '../../src/core/catalog';
import { hostAccess, hostOfPattern } from '../../src/core/host-access';

const ALL = probeOriginPatterns();
const [whatsapp = '', ...rest] = ALL;

describe('hostAccess', () => {
  it.each([
    ['says nothing after install, when nothing is granted nor asked for', [], false, 'off', ALL.length],
    ['is on when every origin is granted', ALL, false, 'on', 0],
    ['is on when every origin is granted and the user asked', ALL, true, 'on', 0],
    ['prompts when the user turned them on and the browser took all back', [], true, 'missing', ALL.length],
    ['prompts when the browser took one back', rest, true, 'missing', 1],
    [
      'prompts when only some were allowed in the browser settings',
      [whatsapp],
      false,
      'missing',
      ALL.length - 1,
    ],
  ] as const)('%s', (_name, granted, wanted, state, missing) => {
    const access = hostAccess(ALL, granted, wanted);
    expect(access.state).toBe(state);
    expect(access.missing).toHaveLength(missing);
  });

  it('names the missing hosts, not their patterns', () => {
    expect(hostAccess(ALL, rest, true).missing).toEqual(['web.whatsapp.com']);
    expect(hostOfPattern('http://detectportal.firefox.com/*')).toBe('detectportal.firefox.com');
  });
});
