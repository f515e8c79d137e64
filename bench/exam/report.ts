// The exam run's report: a table per request kind, the synchronised start, CPU and memory, the
// database check, and the targets, each missed one on a line of its own that says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kind, Recorder } from './http.ts';
import type { Usage } from './procstat.ts';
import type { Verdict } from './verify.ts';

export interface ExamResult {
	students: number;
	instances: number;
	timeScale: number;
	poolSize: number | null;
	/** How the app reaches the database: TCP or the Unix socket. */
	transport: string;
	wallSeconds: number;
	requests: Record<string, ReturnType<Recorder['summary']>>;
	start: { allServedSeconds: number | null; served: number };
	usage: Record<string, Usage>;
	verdict: Verdict;
	errorSamples: string[];
	loadAverage: { before: number; after: number };
	misses: string[];
}

export const TARGETS = { p95Ms: 300, startSeconds: 10 };

export function judge(r: Omit<ExamResult, 'misses'>): string[] {
	const misses: string[] = [];
	const errors = Object.values(r.requests).reduce((s, k) => s + k.errors, 0);
	if (errors) misses.push(`MISSED: ${errors} request errors (target 0)`);
	const lost = r.verdict.lost + r.verdict.changed;
	if (lost)
		misses.push(
			`MISSED: ${lost} acknowledged answers lost (${r.verdict.lost} missing, ${r.verdict.changed} not as last sent) (target 0)`
		);
	if (r.verdict.notSaved)
		misses.push(
			`MISSED: ${r.verdict.notSaved} answers never saved (their saves or the attempt's start were refused)`
		);
	if (r.verdict.duplicated || r.verdict.withSeveralAttempts)
		misses.push(
			`MISSED: ${r.verdict.duplicated} duplicated answers, ${r.verdict.withSeveralAttempts} students with several attempts (target 0)`
		);
	if (r.verdict.withOneFinishedAttempt !== r.students)
		misses.push(
			`MISSED: ${r.students - r.verdict.withOneFinishedAttempt} of ${r.students} students without exactly one finished attempt`
		);
	for (const k of ['page', 'save'] as Kind[]) {
		const p95 = r.requests[k]?.p95 ?? 0;
		if (p95 >= TARGETS.p95Ms)
			misses.push(`MISSED: ${k} p95 ${p95.toFixed(0)} ms (target < ${TARGETS.p95Ms} ms)`);
	}
	const s = r.start.allServedSeconds;
	if (s === null || r.start.served < r.students)
		misses.push(`MISSED: ${r.students - r.start.served} of ${r.students} starts not served`);
	else if (s > TARGETS.startSeconds)
		misses.push(
			`MISSED: synchronised start fully served in ${s.toFixed(1)} s (target ≤ ${TARGETS.startSeconds} s)`
		);
	return misses;
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);

export function printResult(r: ExamResult, log: (s: string) => void = console.log): void {
	log('');
	log(
		`Exam day: ${r.students} students, ${r.instances} app instance${r.instances > 1 ? 's behind nginx' : ''}, ` +
			`think time 30–90 s ÷ ${r.timeScale} (time-scale ${r.timeScale}: the steady load is ${r.timeScale}× a real exam's), ` +
			`pool ${r.poolSize ?? 'default'}, database over ${r.transport}, ${f1(r.wallSeconds)} s; machine load average ${r.loadAverage.before} → ${r.loadAverage.after} on ${os.cpus().length} cores`
	);
	log('kind     count    req/s   p50 ms   p95 ms   p99 ms   max ms  errors');
	for (const [k, s] of Object.entries(r.requests))
		log(
			`${k.padEnd(7)}${String(s.count).padStart(7)}${f1(s.rps).padStart(9)}${f0(s.p50).padStart(9)}` +
				`${f0(s.p95).padStart(9)}${f0(s.p99).padStart(9)}${f0(s.max).padStart(9)}${String(s.errors).padStart(8)}`
		);
	log(
		`synchronised start: ${r.start.served}/${r.students} served, the last ${r.start.allServedSeconds === null ? '—' : f1(r.start.allServedSeconds) + ' s'} after the barrier opened`
	);
	log('process                                 CPU s   avg cores  peak cores  peak MB');
	for (const [name, u] of Object.entries(r.usage))
		log(
			`${name.padEnd(38)}${f1(u.cpuSeconds).padStart(7)}${u.cores.toFixed(2).padStart(12)}${u.peakCores.toFixed(2).padStart(12)}${f0(u.memMbPeak).padStart(9)}`
		);
	const v = r.verdict;
	log(
		`database: ${v.withOneFinishedAttempt}/${v.students} students with exactly one finished attempt; ` +
			`answers ${v.answersStored}/${v.answersExpected} stored; of those the server acknowledged ${v.lost} lost, ${v.changed} not as last sent; ${v.duplicated} duplicated` +
			(v.notSaved ? `; ${v.notSaved} never saved (refused saves or starts)` : '')
	);
	for (const s of [...r.errorSamples, ...v.samples].slice(0, 10)) log(`  ${s}`);
	if (r.misses.length) for (const m of r.misses) log(m);
	else log(`All targets met for ${r.students} students.`);
}

export function writeJson(name: string, data: unknown): string {
	const dir = path.resolve('bench/results');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
	return file;
}
