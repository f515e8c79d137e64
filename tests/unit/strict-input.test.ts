import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { insertBatches, MAX_BIND_PARAMETERS } from '../../src/lib/server/db/batch.ts';
import { dateFromForm, parseLocalDateTime } from '../../src/lib/server/web/dates.ts';
import { safeNext } from '../../src/lib/server/web/guards.ts';
import {
	formHasUnstorableText,
	urlHasUnstorableText
} from '../../src/lib/server/web/request-guard.ts';
import { responseFromForm } from '../../src/lib/quiz/score.ts';
import { idSchema, parseId } from '../../src/lib/validation/ids.ts';
import { decimalSchema, parseDecimal } from '../../src/lib/validation/numbers.ts';
import { hasUnstorableText, unstorableLine } from '../../src/lib/validation/text.ts';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, val] of Object.entries(fields)) f.set(k, val);
	return f;
};

describe('dates from forms: impossible dates are refused, not shifted', () => {
	test('30 February, 31 April, hour 24 and minute 60 are invalid', () => {
		for (const raw of [
			'2026-02-30T10:00',
			'2026-02-29T10:00', // 2026 is not a leap year
			'2026-04-31T10:00',
			'2026-13-01T10:00',
			'2026-00-10T10:00',
			'2026-03-00T10:00',
			'2026-03-10T24:00',
			'2026-03-10T10:60',
			'2026-03-10T10:00:60'
		]) {
			expect(parseLocalDateTime(raw), raw).toBeNull();
			expect(dateFromForm(form({ due: raw }), 'due'), raw).toBe('invalid');
		}
	});

	test('real dates read as UTC, leap days included', () => {
		expect(dateFromForm(form({ due: '2028-02-29T23:59' }), 'due')).toEqual(
			new Date('2028-02-29T23:59:00Z')
		);
		expect(dateFromForm(form({ due: ' 2026-03-02T09:30:15 ' }), 'due')).toEqual(
			new Date('2026-03-02T09:30:15Z')
		);
		expect(dateFromForm(form({ due: '' }), 'due')).toBeNull();
	});

	test('the browser’s UTC value is read strictly; a bad one falls back to the typed field', () => {
		expect(
			dateFromForm(form({ due: '2026-03-02T10:00', dueUtc: '2026-03-02T09:00:00.000Z' }), 'due')
		).toEqual(new Date('2026-03-02T09:00:00Z'));
		expect(
			dateFromForm(form({ due: '2026-03-02T10:00', dueUtc: '2026-02-30T09:00:00.000Z' }), 'due')
		).toEqual(new Date('2026-03-02T10:00:00Z'));
		expect(dateFromForm(form({ due: '2026-02-30T10:00', dueUtc: '1e3' }), 'due')).toBe('invalid');
		expect(dateFromForm(form({ dueUtc: 'March 2, 2026' }), 'due')).toBeNull();
	});

	test('years outside 2000–2100 stay refused', () => {
		expect(dateFromForm(form({ due: '1999-12-31T10:00' }), 'due')).toBe('invalid');
		expect(dateFromForm(form({ due: '0099-01-01T10:00' }), 'due')).toBe('invalid');
	});
});

describe('numbers: only decimal numbers', () => {
	test('parseDecimal reads digits, a sign and one decimal point or comma', () => {
		expect(parseDecimal('2017')).toBe(2017);
		expect(parseDecimal(' 12 ')).toBe(12);
		expect(parseDecimal('-3.5')).toBe(-3.5);
		expect(parseDecimal('3,5')).toBe(3.5);
		expect(parseDecimal('.5')).toBe(0.5);
		for (const bad of [
			'1e3',
			'0x10',
			'0b1',
			'١٢',
			'١٢٣',
			'Infinity',
			'',
			' ',
			'1.2.3',
			'12abc',
			'+',
			'1_000'
		])
			expect(parseDecimal(bad), bad).toBeNull();
	});

	test('as a Valibot field, with the message given', () => {
		const schema = decimalSchema('Enter a number.');
		expect(v.parse(schema, '2017.5')).toBe(2017.5);
		for (const bad of ['1e3', '0x10', '١٢', ''])
			expect(v.safeParse(schema, bad).issues?.[0].message, bad).toBe('Enter a number.');
	});

	test('row ids are written exactly: no spaces, exponents, hex or other digits', () => {
		expect(parseId('12')).toBe(12);
		for (const bad of [' 12 ', '12 ', '1e3', '0x10', '١٢', '012', '0', '-1', '1234567890', ''])
			expect(parseId(bad), bad).toBeNull();
		const schema = idSchema('Unknown item.');
		expect(v.parse(schema, '7')).toBe(7);
		expect(v.safeParse(schema, ' 7').success).toBe(false);
	});

	test('a typed quiz answer that is not decimal is NaN (refused), not another number', () => {
		const read = (answer: string) =>
			(responseFromForm('numerical', form({ answer })) as { value: number | null }).value;
		expect(read('2017')).toBe(2017);
		expect(read(' 3,5 ')).toBe(3.5);
		expect(read('')).toBeNull();
		expect(read('0x10')).toBeNaN();
		expect(read('1e3')).toBeNaN();
		expect(read('١٢')).toBeNaN();
	});
});

describe('text PostgreSQL cannot store', () => {
	test('NUL and lone surrogates are found; real characters are not', () => {
		expect(hasUnstorableText('a\u0000b')).toBe(true);
		expect(hasUnstorableText('a\ud800b')).toBe(true);
		expect(hasUnstorableText('a\udc00')).toBe(true);
		expect(hasUnstorableText('emoji 😀, ¶, é, ١٢')).toBe(false);
		expect(unstorableLine('one\ntwo\nth\u0000ree')).toBe(3);
		expect(unstorableLine('fine')).toBeNull();
	});

	test('in a decoded path or any query parameter', () => {
		const url = (s: string) => new URL(s, 'http://localhost');
		expect(urlHasUnstorableText(url('/courses/%00'))).toBe(true);
		expect(urlHasUnstorableText(url('/courses/a%00b/lessons/x'))).toBe(true);
		expect(urlHasUnstorableText(url('/admin/users?q=%00'))).toBe(true);
		expect(urlHasUnstorableText(url('/admin/users?%00=1'))).toBe(true);
		expect(urlHasUnstorableText(url('/courses/caf%C3%A9?q=%F0%9F%98%80'))).toBe(false);
		// Does not decode at all: SvelteKit answers that with 400 itself.
		expect(urlHasUnstorableText(url('/courses/%ED%A0%80'))).toBe(false);
	});

	test('in a form field, a field name or a file name', () => {
		expect(formHasUnstorableText(form({ email: 'a@b.c', name: 'x\u0000' }))).toBe(true);
		expect(formHasUnstorableText(form({ 'na\u0000me': 'x' }))).toBe(true);
		const withFile = new FormData();
		withFile.set('package', new File([new Uint8Array([0, 1, 2])], 'course.zip'));
		expect(formHasUnstorableText(withFile)).toBe(false);
		withFile.set('other', new File(['x'], 'a\u0000.zip'));
		expect(formHasUnstorableText(withFile)).toBe(true);
	});
});

describe('where to go after logging in: anything but a plain path of this site falls back', () => {
	test('non-ASCII is percent-encoded, so it can go into a Location header', () => {
		expect(safeNext('/courses/café')).toBe('/courses/caf%C3%A9');
		expect(safeNext('/courses/un?q=日本')).toBe('/courses/un?q=%E6%97%A5%E6%9C%AC');
		expect(safeNext('/ĀĒ')).toBe('/%C4%80%C4%92');
		expect(safeNext('/a\ud800')).toBe('/a%EF%BF%BD');
		for (const target of ['/courses/café', '/x?y=€', '/\u{1F600}'])
			expect(() => new Headers({ location: safeNext(target) })).not.toThrow();
	});

	test('a NUL, encoded or not, and other hosts fall back', () => {
		expect(safeNext('/courses/%00')).toBe('/');
		expect(safeNext('/courses/\u0000')).toBe('/');
		expect(safeNext('/courses/%zz')).toBe('/');
		expect(safeNext('/\u3000/evil.example')).not.toMatch(/^\/\//);
		expect(safeNext('/' + 'a'.repeat(3000))).toBe('/');
		expect(safeNext('/./\\evil.example')).toBe('/');
		expect(safeNext('/..//evil.example')).toBe('/');
		expect(new URL(safeNext('/%2F/evil.example'), 'http://localhost').host).toBe('localhost');
	});
});

describe('inserts in batches under the bind-parameter limit', { timeout: 60_000 }, () => {
	test('rows are cut so that no statement holds more than 65,535 values, in order', () => {
		const rows = Array.from({ length: 50_000 }, (_, i) => ({
			course_id: 1,
			number: i + 1,
			body: 'x'
		}));
		const batches = insertBatches(rows);
		expect(batches.length).toBeGreaterThan(1);
		for (const b of batches) expect(b.length * 3).toBeLessThanOrEqual(MAX_BIND_PARAMETERS);
		expect(batches.flat()).toEqual(rows);
		expect(insertBatches([])).toEqual([]);
	});

	test('counts every column any row has', () => {
		const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, i]));
		const rows = [...Array.from({ length: 4_000 }, () => ({ a: 1 })), wide];
		for (const b of insertBatches(rows))
			expect(b.length * 41).toBeLessThanOrEqual(MAX_BIND_PARAMETERS);
	});
});
