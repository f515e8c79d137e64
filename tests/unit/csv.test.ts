import { describe, expect, test } from 'vitest';
import { csvField, toCsv } from '../../src/lib/csv.ts';

describe('CSV for spreadsheets', () => {
	test('starts with a byte-order mark, ends rows with CRLF, quotes every text field', () => {
		expect(
			toCsv([
				['Name', 'Score'],
				['Zoë', 0.5]
			])
		).toBe('\ufeff"Name","Score"\r\n"Zoë",0.5\r\n');
	});

	test('commas, quotes and line breaks stay inside their field', () => {
		expect(csvField('Doe, Jane "JD"\nsecond line')).toBe('"Doe, Jane ""JD""\nsecond line"');
	});

	test('a name a spreadsheet would run as a formula is written as text', () => {
		for (const name of ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tTab', '\rCR'])
			expect(csvField(name).startsWith(`"'`)).toBe(true);
		expect(csvField('Ana-Maria')).toBe('"Ana-Maria"');
	});

	test('empty and missing values are empty fields', () => {
		expect(toCsv([[null, '', Number.NaN]])).toBe('\ufeff,"",\r\n');
	});
});
