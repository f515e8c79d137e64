import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { filesFromZip } from '../../src/lib/courses/archive.ts';

/** A zip of one file whose headers say it unpacks to `declared` bytes. */
function zipDeclaring(content: Uint8Array, declared: number, level: 0 | 9 = 9): Uint8Array {
	const zip = zipSync({ 'c/article.txt': content }, { level });
	const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
	const central = view.getUint32(zip.length - 22 + 16, true);
	view.setUint32(22, declared, true); // local header
	view.setUint32(central + 24, declared, true); // central directory
	return zip;
}

/**
 * A deflate stream written by hand, since compressing the real thing takes half a minute: one
 * fixed-Huffman block of "A" followed by `repeats` copies of "the last 258 bytes again" (13 bits
 * each), so it unpacks to ~160 times its size.
 */
function deflateBomb(repeats: number): Uint8Array {
	const out = new Uint8Array(Math.ceil((3 + 8 + repeats * 13 + 7) / 8) + 1);
	let bit = 0;
	const bits = (value: number, count: number) => {
		for (let i = 0; i < count; i++, bit++) if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7);
	};
	// Huffman codes are packed from their most significant bit.
	const code = (value: number, count: number) => {
		for (let i = count - 1; i >= 0; i--, bit++)
			if ((value >> i) & 1) out[bit >> 3] |= 1 << (bit & 7);
	};
	bits(1, 1); // final block
	bits(1, 2); // fixed Huffman codes
	code(0x30 + 0x41, 8); // literal "A"
	for (let i = 0; i < repeats; i++) {
		code(0b11000101, 8); // length 258
		code(0, 5); // distance 1
	}
	code(0, 7); // end of block
	return out;
}

/** A zip of one deflated entry, with the sizes given. */
function zipOf(name: string, deflated: Uint8Array, declared: number): Uint8Array {
	const nameBytes = strToU8(name);
	const local = new Uint8Array(30 + nameBytes.length);
	const lv = new DataView(local.buffer);
	lv.setUint32(0, 0x04034b50, true);
	lv.setUint16(4, 20, true);
	lv.setUint16(8, 8, true);
	lv.setUint32(18, deflated.length, true);
	lv.setUint32(22, declared, true);
	lv.setUint16(26, nameBytes.length, true);
	local.set(nameBytes, 30);
	const central = new Uint8Array(46 + nameBytes.length);
	const cv = new DataView(central.buffer);
	cv.setUint32(0, 0x02014b50, true);
	cv.setUint16(4, 20, true);
	cv.setUint16(6, 20, true);
	cv.setUint16(10, 8, true);
	cv.setUint32(20, deflated.length, true);
	cv.setUint32(24, declared, true);
	cv.setUint16(28, nameBytes.length, true);
	central.set(nameBytes, 46);
	const end = new Uint8Array(22);
	const ev = new DataView(end.buffer);
	ev.setUint32(0, 0x06054b50, true);
	ev.setUint16(8, 1, true);
	ev.setUint16(10, 1, true);
	ev.setUint32(12, central.length, true);
	ev.setUint32(16, local.length + deflated.length, true);
	const zip = new Uint8Array(local.length + deflated.length + central.length + end.length);
	zip.set(local);
	zip.set(deflated, local.length);
	zip.set(central, local.length + deflated.length);
	zip.set(end, local.length + deflated.length + central.length);
	return zip;
}

describe('filesFromZip: limits on what is actually unpacked', { timeout: 60_000 }, () => {
	it('refuses quickly a 1.5 MB zip that declares 100 bytes and unpacks to 240 MB', () => {
		const zip = zipOf('c/article.txt', deflateBomb(930_000), 100);
		expect(zip.length).toBeGreaterThan(1_500_000);
		const start = performance.now();
		// It used to be inflated whole (seconds of a blocked server) and accepted, cut to 100 bytes.
		expect(() => filesFromZip(zip)).toThrow(
			'The zip file is damaged: c/article.txt unpacks to more than the 100 bytes it declares.'
		);
		expect(performance.now() - start).toBeLessThan(1500);
	});

	it('reads the hand-made stream when it declares its true size', () => {
		const size = 1 + 258 * 1000;
		const files = filesFromZip(zipOf('c/article.txt', deflateBomb(1000), size));
		expect(files['article.txt']).toBe('A'.repeat(size));
	});

	it('refuses an entry that unpacks to less than it declares', () => {
		const zip = zipDeclaring(strToU8('short text'), 1000);
		expect(() => filesFromZip(zip)).toThrow(/c\/article.txt does not hold the size it declares/);
	});

	it('refuses a stored entry whose size is not the declared one', () => {
		const zip = zipDeclaring(strToU8('stored text'), 5, 0);
		expect(() => filesFromZip(zip)).toThrow(/does not hold the size it declares/);
	});

	it('still refuses on the declared sizes before inflating anything', () => {
		const zip = zipDeclaring(strToU8('x'), 3 * 1024 * 1024);
		expect(() => filesFromZip(zip)).toThrow(/larger than 2 MB/);
	});

	it('refuses a truncated zip and garbage with a message', () => {
		const zip = zipSync({ 'c/article.txt': new Uint8Array(50_000).fill(66) });
		const cut = new Uint8Array([...zip.subarray(0, 40), ...zip.subarray(zip.length - 200)]);
		expect(() => filesFromZip(cut)).toThrow(/not a zip file that can be read|damaged/);
		expect(() => filesFromZip(new Uint8Array(10))).toThrow(/not a zip file that can be read/);
	});

	it('reads stored and deflated entries and zips with a comment', () => {
		const files = { 'c/a.txt': strToU8('alpha ¶ text'), 'c/b.txt': strToU8('beta'.repeat(1000)) };
		expect(filesFromZip(zipSync(files, { level: 0 }))).toEqual({
			'a.txt': 'alpha ¶ text',
			'b.txt': 'beta'.repeat(1000)
		});
		const commented = zipSync(files, { level: 6, comment: 'made by hand' } as never);
		expect(Object.keys(filesFromZip(commented))).toEqual(['a.txt', 'b.txt']);
	});
});
