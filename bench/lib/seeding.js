// For --quick: the two small databases the run seeds itself (`npm run bench:seed -- --quick`, at
// scale 1 and 2), so the query-growth check has two data sizes, each with its own manifest.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '../..');
export const DEFAULT_MANIFEST = path.join(root, 'bench', '.data', 'manifest.json');

async function ensureDatabase(url) {
	const u = new URL(url);
	const name = decodeURIComponent(u.pathname.slice(1));
	u.pathname = '/postgres';
	const c = new pg.Client({ connectionString: u.toString() });
	await c.connect();
	try {
		const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
		if (!rowCount) await c.query(`create database "${name.replace(/"/g, '""')}"`);
	} finally {
		await c.end();
	}
}

/**
 * Seeds `url` (made if missing; the seeder refuses a database it did not make) with `args`,
 * writing its manifest to `saveAs`.
 */
export async function seedInto(url, args, saveAs) {
	await ensureDatabase(url);
	const r = spawnSync(
		'npm',
		['run', '--silent', 'bench:seed', '--', ...args, '--manifest', saveAs],
		{
			cwd: root,
			env: { ...process.env, DATABASE_URL: url },
			stdio: ['ignore', 'inherit', 'inherit']
		}
	);
	if (r.status !== 0)
		throw new Error(`npm run bench:seed -- ${args.join(' ')} failed (exit ${r.status})`);
	return saveAs;
}

export function readManifest(file) {
	if (!fs.existsSync(file))
		throw new Error(
			`No seed manifest at ${file}: run npm run bench:seed first (or pass --manifest).`
		);
	const m = JSON.parse(fs.readFileSync(file, 'utf8'));
	for (const key of ['cookie', 'password', 'pages', 'instructor', 'bigClass', 'students'])
		if (!(key in m)) throw new Error(`${file}: the manifest has no "${key}"`);
	return m;
}
