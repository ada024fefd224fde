import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canonicalIp, ipv4Number } from '../../src/bot/routes/ip-address.js';

describe('IP addresses without node:net', () => {
  it('agrees with node:net on what is an address', () => {
    const samples = [
      '1.2.3.4',
      '255.255.255.255',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '::1',
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      'fe80::1%eth0',
      '::ffff:1.2.3.4',
      '1::2::3',
      'gggg::1',
      '',
      'localhost',
      '1.2.3.4 ',
      '[::1]',
    ];
    for (const s of samples) expect([s, canonicalIp(s) !== undefined]).toEqual([s, isIP(s) !== 0 && !s.includes('%')]);
  });

  it('canonicalizes IPv6 and unwraps IPv4-mapped addresses', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(canonicalIp('::FFFF:cb00:7109')).toBe('203.0.113.9');
  });

  it('reads dotted IPv4 as a number', () => {
    expect(ipv4Number('203.0.113.9')).toBe(((203 << 24) >>> 0) + (0 << 16) + (113 << 8) + 9);
    expect(ipv4Number('203.0.113')).toBeUndefined();
  });
});
