import { describe, expect, test } from 'vitest';
import { passwordProblem } from '../../src/lib/server/auth/password.ts';

describe('password policy', () => {
	test('8 to 256 characters', () => {
		expect(passwordProblem('seven77')).toBe('Use at least 8 characters.');
		expect(passwordProblem('x'.repeat(257) + 'y')).toBe('Use at most 256 characters.');
		expect(passwordProblem('a quiet river at dawn')).toBeUndefined();
		expect(passwordProblem('Zq8#' + 'k'.repeat(252))).toBeUndefined();
	});

	test('common passwords are refused whatever their case', () => {
		for (const p of [
			'password123',
			'Password1',
			'QWERTYUIOP',
			'12345678',
			'iloveyou',
			'aaaaaaaaaa'
		]) {
			expect(passwordProblem(p), p).toMatch(/too common/);
		}
	});

	test('the email address itself is refused', () => {
		expect(passwordProblem('marisol.v', { email: 'marisol.v@example.org' })).toMatch(
			/email address/
		);
	});
});
