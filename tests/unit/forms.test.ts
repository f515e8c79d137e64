import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { parseForm } from '../../src/lib/server/web/forms.ts';
import { safeNext } from '../../src/lib/server/web/guards.ts';
import { emailField, nameField, passwordField } from '../../src/lib/validation/schemas.ts';

const Schema = v.object({ name: nameField, email: emailField, password: passwordField });

function form(fields: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, val] of Object.entries(fields)) f.set(k, val);
	return f;
}

describe('form parsing', () => {
	test('valid input is trimmed and typed', () => {
		const r = parseForm(
			Schema,
			form({ name: '  Ana ', email: ' ana@example.org ', password: 'x y z w v u' })
		);
		expect(r).toEqual({
			ok: true,
			data: { name: 'Ana', email: 'ana@example.org', password: 'x y z w v u' }
		});
	});

	test('one message per field, values echoed back except secrets', () => {
		const r = parseForm(Schema, form({ name: '', email: 'ana@', password: 'hunter2hunter2' }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual({
			name: 'Enter your name.',
			email: 'Enter an email address like name@example.org.'
		});
		expect(r.values).toEqual({ name: '', email: 'ana@' });
	});

	test('a missing field gets its message too', () => {
		const r = parseForm(Schema, form({ name: 'Ana', email: 'ana@example.org' }));
		expect(r.ok ? null : r.errors).toEqual({ password: 'Enter a password.' });
	});
});

describe('where to go after logging in', () => {
	test('only paths on this site are followed', () => {
		expect(safeNext('/classes/3?tab=roster')).toBe('/classes/3?tab=roster');
		expect(safeNext('https://evil.example/')).toBe('/');
		expect(safeNext('//evil.example/')).toBe('/');
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext(null, '/home')).toBe('/home');
		// Browsers drop tabs and newlines in URLs: `/\t/evil` would be `//evil`.
		expect(safeNext('/\t/evil.example')).toBe('/');
		expect(safeNext('/\n/evil.example')).toBe('/');
		expect(safeNext('/%09/evil.example')).toBe('/%09/evil.example');
		expect(new URL(safeNext('/\t/evil.example'), 'http://localhost').host).toBe('localhost');
	});
});
