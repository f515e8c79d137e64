// npx tsx bench/seed-verify.ts [--base http://localhost:4201] [--manifest bench/.data/manifest.json]
//
// Fetches every page the manifest names, with its session cookie, from a built app serving the
// seeded database, and fails unless each answers 200 with the page's own content (not an error
// page, not the login form). Checks a sample of the students (all of the big class's first 50).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { MANIFEST_PATH } from './seed/manifest.ts';

const { values: args } = parseArgs({
	options: {
		base: { type: 'string', default: 'http://localhost:4201' },
		manifest: { type: 'string', default: MANIFEST_PATH },
		students: { type: 'string', default: '60' }
	}
});
const m = JSON.parse(fs.readFileSync(args.manifest, 'utf8'));

interface Check {
	path: string;
	session: string;
	/** Text the page shows when it rendered its data. */
	expect: RegExp;
}

const checks: Check[] = [];
const student = m.students[0];
for (const [name, path] of Object.entries(m.pages as Record<string, string>))
	checks.push({ path, session: student.session, expect: name === 'map' ? /actor/i : /<main/ });
const staff = m.instructor.session;
checks.push({ path: m.bigClass.gradebook, session: staff, expect: /Gradebook/i });
checks.push({ path: m.bigClass.statistics, session: staff, expect: /statistic/i });
checks.push({ path: m.bigClass.moderation, session: staff, expect: /moderation/i });
checks.push({ path: m.bigClass.thread, session: staff, expect: /<article|post/i });
checks.push({ path: m.bigClass.thread, session: student.session, expect: /<article|post/i });
for (const c of m.growth?.classes ?? []) {
	checks.push({ path: c.gradebook, session: staff, expect: /Gradebook/i });
	checks.push({ path: c.statistics, session: staff, expect: /statistic/i });
}
for (const t of m.growth?.threads ?? [])
	checks.push({ path: t.path, session: staff, expect: /post/i });
const n = Number(args.students);
const sample = [
	...m.students.slice(0, Math.ceil(n / 2)),
	...m.students.filter(
		(_: unknown, i: number) => i % Math.max(1, Math.floor(m.students.length / (n / 2))) === 0
	)
].slice(0, n);
for (const s of sample) {
	checks.push({ path: s.attempt, session: s.session, expect: /answer|question/i });
	checks.push({ path: s.review, session: s.session, expect: /score|mark|review/i });
	checks.push({
		path: `/classes/${s.classId}/discussions`,
		session: s.session,
		expect: /discussion/i
	});
}

let failed = 0;
const t0 = performance.now();
for (const c of checks) {
	const res = await fetch(args.base + c.path, {
		headers: { cookie: `${m.cookie}=${c.session}` },
		redirect: 'manual'
	});
	const body = await res.text();
	const ok = res.status === 200 && c.expect.test(body) && !/name="password"/.test(body);
	if (!ok) {
		failed++;
		const title = /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '';
		console.log(`FAIL ${res.status} ${c.path} (${body.length} bytes) ${title}`);
	}
}
console.log(
	`${checks.length - failed}/${checks.length} pages answered 200 with their content ` +
		`(${((performance.now() - t0) / 1000).toFixed(1)} s).`
);
process.exit(failed ? 1 : 0);
