import { describe, expect, it } from 'vitest';
import { MAX_ANSWERS } from '../../src/lib/gift/answers.ts';
import { joinLines, parseGift } from '../../src/lib/gift/parse.ts';

/** Fastest of a few runs: the machine is shared, and one slow run says nothing about the algorithm. */
function timeOf(fn: () => void, runs = 3): number {
	let best = Infinity;
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		fn();
		best = Math.min(best, performance.now() - start);
	}
	return best;
}

const TWO_MB = 2 * 1024 * 1024;

/**
 * The time of reading `src` once, line by line: what any parser must spend. Bounds relative to it
 * hold on a loaded machine too, where absolute times grow several-fold.
 */
function baselineOf(src: string): number {
	return timeOf(() => {
		let lines = 0;
		for (const line of src.split(/\r\n|\r|\n/)) if (line.trim() !== '') lines++;
		if (lines < 0) throw new Error('unreachable');
	});
}

const oneQuestion = (answers: number) =>
	'// [id:q1] [cite:1]\nWhich one? {\n=right\n' +
	Array.from({ length: answers }, (_, i) => `~wrong answer ${i}`).join('\n') +
	'\n}\n';

describe('parseGift: cost at the upload limit', { timeout: 60_000 }, () => {
	it('refuses 80,000 answers in one question quickly, with a message', () => {
		const src = oneQuestion(80_000);
		expect(src.length).toBeGreaterThan(TWO_MB / 2);
		let result = parseGift('');
		const ms = timeOf(() => (result = parseGift(src)));
		expect(result.questions).toEqual([]);
		expect(result.errors).toEqual([
			{
				line: 2,
				message: `a question takes at most ${MAX_ANSWERS} answers; this one has 80001`
			}
		]);
		// Was 2.9 s (quadratic line look-up), over 500 times the baseline; now ~0.15 s, ~20 times.
		expect(ms).toBeLessThan(5000);
		expect(ms / Math.max(baselineOf(src), 1)).toBeLessThan(100);
	});

	it('accepts a question with the maximum number of answers', () => {
		const { questions, errors } = parseGift(oneQuestion(MAX_ANSWERS - 1));
		expect(errors).toEqual([]);
		expect(questions[0]).toMatchObject({ type: 'mc' });
	});

	it('reports a file of 2 MB of answer markers without overflowing the stack', () => {
		const src = '// [id:q1] [cite:1]\nWhich? {' + '~'.repeat(TWO_MB) + '}';
		const ms = timeOf(() => {
			const { errors } = parseGift(src);
			expect(errors).toHaveLength(1);
		}, 1);
		expect(ms).toBeLessThan(5000);
	});

	it('reports hundreds of thousands of broken tags without overflowing the stack', () => {
		const src = '// ' + '[id:q1]'.repeat(150_000) + '\nQ {T}';
		const { errors } = parseGift(src);
		expect(errors.length).toBeGreaterThan(100_000);
	});

	it('parses 2 MB of ordinary questions in time linear in the size', () => {
		const questions = (n: number) =>
			Array.from(
				{ length: n },
				(_, i) =>
					`// [id:q${i}] [cite:1]\nQuestion ${i}? {\n=right#yes\n` +
					Array.from({ length: 20 }, (_, k) => `~wrong ${k}#no`).join('\n') +
					'\n}'
			).join('\n\n');
		const quarter = questions(2_000);
		const full = questions(8_000);
		expect(full.length).toBeGreaterThan(TWO_MB * 0.75);
		expect(parseGift(full).questions).toHaveLength(8_000);
		const tQuarter = timeOf(() => parseGift(quarter), 5);
		const tFull = timeOf(() => parseGift(full), 5);
		// ~0.3 s here; the bound leaves room for a loaded CI machine.
		expect(tFull).toBeLessThan(5000);
		// Four times the input takes about four times as long (quadratic: 16×; the slack is for a busy machine).
		expect(tFull / tQuarter).toBeLessThan(12);
	});
});

describe('joinLines: the line of an offset', { timeout: 60_000 }, () => {
	const sourceLines = (n: number) =>
		Array.from({ length: n }, (_, i) => ({ text: `~answer ${i}`, line: i + 10 }));

	it('finds the line of every offset', () => {
		const text = joinLines(sourceLines(5));
		const offsets = [...text.raw].map((_, i) => i);
		const found = offsets.map((o) => text.lineAt(o));
		expect(found.slice(0, 10)).toEqual(Array(10).fill(10));
		expect(text.lineAt(text.raw.length - 1)).toBe(14);
		expect(text.lineAt(text.raw.indexOf('~answer 2'))).toBe(12);
		expect(text.lineAt(text.raw.indexOf('~answer 2') - 1)).toBe(11);
	});

	it('answers one look-up per line of 100,000 lines in time linear in the count', () => {
		const lookUps = (n: number) => {
			const lines = sourceLines(n);
			const text = joinLines(lines);
			let offset = 0;
			return () => {
				for (const l of lines) {
					if (text.lineAt(offset) !== l.line) throw new Error('wrong line');
					offset += l.text.length + 1;
				}
				offset = 0;
			};
		};
		const sixteenth = lookUps(6_250);
		const full = lookUps(100_000);
		const tSixteenth = timeOf(sixteenth, 5);
		const tFull = timeOf(full, 5);
		// A linear scan per look-up took seconds here; a binary search takes ~10 ms.
		expect(tFull).toBeLessThan(1000);
		// Sixteen times the look-ups take about sixteen times as long; quadratic would be 256×. The
		// wide gap keeps a busy machine's pause (a millisecond on the small run) from reading as growth.
		expect(tFull / Math.max(tSixteenth, 1)).toBeLessThan(64);
	});
});

describe('[html] text at the upload limit', { timeout: 60_000 }, () => {
	// Each shape once made a pass search ahead again and again in a first version ("<<<…>").
	const shapes: [string, (n: number) => string][] = [
		['a "<" before one ">"', (n) => `${'<'.repeat(n)}>`],
		['unclosed tags', (n) => '<a'.repeat(n / 2)],
		['tags', (n) => '<b>'.repeat(n / 3)],
		['script tags', (n) => '<script>'.repeat(n / 8)],
		['character references', (n) => '&#1;'.repeat(n / 4)],
		['comments', (n) => '<!--'.repeat(n / 4)]
	];
	for (const [name, make] of shapes) {
		it(`reads 2 MB of ${name} in time linear in the size`, () => {
			const question = (n: number) => `[html]${make(n)}{T}`;
			const sixteenth = question(TWO_MB / 16);
			const full = question(TWO_MB);
			// Read or refused ("no text" when nothing is left), never stuck.
			const read = parseGift(full);
			expect(read.questions.length + read.rejected).toBe(1);
			const tSixteenth = timeOf(() => parseGift(sixteenth), 5);
			const tFull = timeOf(() => parseGift(full), 5);
			// ~30–150 ms here.
			expect(tFull).toBeLessThan(5000);
			// Quadratic would be 256× for sixteen times the text. Linear is 16–32× here (garbage
			// collection grows faster than the text: character references, 9 ms → 300 ms on a quiet
			// machine) and reached 68× on a loaded CI run; a quarter against the whole (limit 12×)
			// failed there at 12.6×. The limit sits between linear under load and quadratic.
			expect(tFull / Math.max(tSixteenth, 1)).toBeLessThan(128);
		});
	}
});
