import { expect, test } from 'vitest';
import { Gate } from '../../src/lib/server/db/gate.ts';

/** A call that stays running until its `finish` is called. */
function held() {
	let finish!: (fail?: boolean) => void;
	const done = new Promise<void>((ok, no) => {
		finish = (fail) => (fail ? no(new Error('failed')) : ok());
	});
	return { done, finish };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test('a gate runs at most its limit at once and admits the waiting in arrival order', async () => {
	const gate = new Gate(2);
	const calls = Array.from({ length: 5 }, () => held());
	const began: number[] = [];
	const runs = calls.map((c, i) =>
		gate.run(async () => {
			began.push(i);
			await c.done;
			return i;
		})
	);
	await tick();
	expect([began, gate.running, gate.waiting]).toEqual([[0, 1], 2, 3]);
	calls[1].finish();
	await tick();
	expect([began, gate.running, gate.waiting]).toEqual([[0, 1, 2], 2, 2]);
	// A newcomer waits behind those already waiting, though a place is about to free up.
	const late = held();
	const lateRun = gate.run(async () => {
		began.push(9);
		await late.done;
		return 9;
	});
	calls[0].finish();
	calls[2].finish();
	await tick();
	expect(began).toEqual([0, 1, 2, 3, 4]);
	calls[3].finish();
	calls[4].finish();
	late.finish();
	expect(await Promise.all([...runs, lateRun])).toEqual([0, 1, 2, 3, 4, 9]);
	expect([gate.running, gate.waiting]).toEqual([0, 0]);
});

test('a call that throws frees its place, and its error reaches its caller', async () => {
	const gate = new Gate(1);
	const first = held();
	const failing = gate.run(() => first.done);
	const next = gate.run(async () => 'next ran');
	first.finish(true);
	await expect(failing).rejects.toThrow('failed');
	expect(await next).toBe('next ran');
	expect([gate.running, gate.waiting]).toEqual([0, 0]);
});

test('a gate admits at least one call', () => {
	expect(() => new Gate(0)).toThrow(RangeError);
	expect(() => new Gate(1.5)).toThrow(RangeError);
});
