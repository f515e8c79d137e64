import { describe, expect, test } from 'vitest';
import { accountCooldownMs, addressKey } from '../../src/lib/server/auth/rate-limit.ts';

describe('the key a client address is counted under', () => {
	test('IPv4 addresses count one by one', () => {
		expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey(' 203.0.113.7 ')).toBe('203.0.113.7');
		expect(addressKey('203.0.113.8')).not.toBe(addressKey('203.0.113.7'));
	});

	test('IPv6 addresses count per /64, however they are written', () => {
		const key = '2001:db8:85a3:8d3::/64';
		expect(addressKey('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe(key);
		expect(addressKey('2001:0DB8:85A3:08D3:ffff:ffff:ffff:ffff')).toBe(key);
		expect(addressKey('2001:db8:85a3:8d3::1')).toBe(key);
		expect(addressKey('[2001:db8:85a3:8d3::2]')).toBe(key);
		expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
		// The next /64 is another key.
		expect(addressKey('2001:db8:85a3:8d4::1')).not.toBe(key);
	});

	test('IPv4-mapped IPv6 counts as the IPv4 address, in either notation', () => {
		expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
		expect(addressKey('::FFFF:192.0.2.1')).toBe('192.0.2.1');
		expect(addressKey('::ffff:c000:0201')).toBe('192.0.2.1');
		expect(addressKey('0:0:0:0:0:ffff:192.0.2.1')).toBe('192.0.2.1');
		// Not mapped: an IPv6 address with an IPv4 tail elsewhere.
		expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
	});

	test('anything else is counted as given', () => {
		expect(addressKey('unknown')).toBe('unknown');
		expect(addressKey('x'.repeat(500))).toHaveLength(100);
	});
});

describe('the per-account login cooldown', () => {
	test('none below ten failures, then doubling from two seconds up to five minutes', () => {
		expect(accountCooldownMs(0)).toBe(0);
		expect(accountCooldownMs(9)).toBe(0);
		expect(accountCooldownMs(10)).toBe(2000);
		expect(accountCooldownMs(11)).toBe(4000);
		expect(accountCooldownMs(17)).toBe(256000);
		expect(accountCooldownMs(18)).toBe(300000);
		expect(accountCooldownMs(1000)).toBe(300000);
	});
});
