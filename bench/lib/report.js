// The console table and the JSON file of a bench run.
import fs from 'node:fs';
import path from 'node:path';

const kb = (n) => (n === undefined || n === null ? '' : (n / 1024).toFixed(1));
const fixed = (n, d = 0) => (n === undefined || n === null || Number.isNaN(n) ? '' : n.toFixed(d));

function table(rows, columns) {
	const widths = columns.map((c) =>
		Math.max(c.title.length, ...rows.map((r) => String(c.get(r)).length))
	);
	const line = (cells) =>
		cells
			.map((cell, i) =>
				columns[i].left ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])
			)
			.join('  ');
	return [
		line(columns.map((c) => c.title)),
		line(widths.map((w) => '-'.repeat(w))),
		...rows.map((r) => line(columns.map((c) => c.get(r))))
	].join('\n');
}

export function formatTable(results) {
	const q = (s) => {
		const g = results.growth.find((x) => x.name === s.name);
		if (!s.queries) return '';
		const here =
			s.queries.min === s.queries.max
				? `${s.queries.median ?? '?'}`
				: `${s.queries.min}–${s.queries.max}`;
		return g && g.small !== null && g.large !== null && g.small !== g.large
			? `${g.small}→${g.large}`
			: here;
	};
	const rows = [...results.baselines.map((b) => ({ ...b, baseline: true })), ...results.scenarios];
	return table(rows, [
		{ title: 'scenario', left: true, get: (r) => r.label },
		{ title: 'req/s', get: (r) => (r.load?.skipped ? 'skipped' : fixed(r.load?.rps)) },
		{ title: '× minimal', get: (r) => fixed(r.ratio, 2) },
		{ title: 'target', get: (r) => (r.ratioTarget ? `≥${r.ratioTarget}` : '') },
		{ title: 'p50 ms', get: (r) => fixed(r.load?.p50) },
		{ title: 'p99 ms', get: (r) => fixed(r.load?.p99) },
		{ title: 'errors', get: (r) => (r.load && !r.load.skipped ? r.load.errors : '') },
		{ title: 'queries', get: (r) => (r.baseline ? '' : q(r)) },
		{ title: 'HTML KB', get: (r) => kb(r.weight?.htmlBytes) },
		{ title: 'HTML gz', get: (r) => kb(r.weight?.htmlGzip) },
		{ title: 'JS KB gz', get: (r) => kb(r.weight?.jsGzip) }
	]);
}

export function formatIdle(idle) {
	if (!idle) return '';
	if (idle.skipped) return `idle readers: skipped (${idle.skipped})`;
	return (
		`idle live-discussion readers: ${idle.ready}/${idle.streams} streams over ${idle.students} students ` +
		`(opened in ${idle.openSeconds} s), ${idle.idleSeconds} s idle: RSS ${fixed(idle.rssBeforeMB)} → ${fixed(idle.rssMaxMB)} MB ` +
		`(+${fixed(idle.rssGrowthMB)} MB), ${idle.idleQueries} queries from requests and streams, ` +
		`${idle.backgroundQueries} from the periodic jobs, ${idle.heartbeats} heartbeats received`
	);
}

/** Writes bench/results/<timestamp>.json and latest.json; returns the first's path. */
export function writeResults(dir, results) {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(
		dir,
		`${results.startedAt.replace(/[:.]/g, '-')}${results.quick ? '-quick' : ''}.json`
	);
	const text = JSON.stringify(results, null, 2);
	fs.writeFileSync(file, text);
	fs.writeFileSync(path.join(dir, results.quick ? 'latest-quick.json' : 'latest.json'), text);
	return file;
}
