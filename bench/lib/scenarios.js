// The scenarios of `npm run bench`, built from the seed manifest (bench/.data/manifest.json; its
// shape is in bench/README.md). Each scenario is a request generator: `next()` gives the i-th
// request (method, path, headers, body), so the load run (autocannon's setupRequest) and the
// query-count pass send the same requests. `accept` says which answers are successes: 2xx for a
// page, the redirect an action answers with when it did its work.
import { randomUUID } from 'node:crypto';

/** Which ratio to the minimal SvelteKit page a page scenario must reach. */
export const RATIO_TARGETS = { page: 0.5, heavy: 0.2 };

const ok2xx = (status) => status >= 200 && status < 300;

/** A 303 whose Location matches `re` (an action that worked, not a bounce to the login page). */
const redirectTo = (re) => (status, headers) =>
	status === 303 && re.test(String(headers?.location ?? ''));

function rotate(list) {
	let i = 0;
	return () => list[i++ % list.length];
}

/**
 * The scenarios for `manifest`. `openStudents`: manifest students whose `attempt` is still in
 * progress, for the quiz page and the saves; `submitStudents`: those whose attempts the submit
 * scenario may use up (one each). `origin` is the app's ORIGIN (forms must carry it).
 * `replyThread` is the thread replies go to; `replyLimit` how many the reply scenario may write
 * (posting is rate-limited to 6 a minute per member); `replyFromEnd` reverses the order the class's
 * students post in, so a second pass starts with those the first used least.
 */
export function buildScenarios(
	manifest,
	{ origin, openStudents, submitStudents, replyThread, replyLimit, replyFromEnd = false }
) {
	const cookieOf = (session) => `${manifest.cookie}=${session}`;
	const instructor = { cookie: cookieOf(manifest.instructor.session) };
	const big = manifest.bigClass;
	const bigStudents = manifest.students.filter((s) => s.inBigClass);
	const form = (fields) => new URLSearchParams(fields).toString();
	// As a browser sends them: without `accept: text/html` SvelteKit answers an action with JSON.
	const formHeaders = (cookie) => ({
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		origin,
		...(cookie ? { cookie } : {})
	});

	const page = (name, label, path, ratio, cookie) => ({
		name,
		label,
		kind: 'page',
		ratio,
		weightOf: { path, cookie },
		accept: ok2xx,
		next: () => ({
			method: 'GET',
			path,
			headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
		})
	});
	const studentPage = (name, label, list, pathOf, ratio) => {
		const pick = rotate(list);
		const first = list[0];
		return {
			name,
			label,
			kind: 'page',
			ratio,
			weightOf: first && { path: pathOf(first), cookie: cookieOf(first.session) },
			accept: ok2xx,
			next: () => {
				const s = pick();
				return {
					method: 'GET',
					path: pathOf(s),
					headers: { accept: 'text/html', cookie: cookieOf(s.session) }
				};
			}
		};
	};

	const revisionBase = Date.now();
	let revision = 0;
	const saver = rotate(openStudents);
	let submitted = 0;
	const submitList = submitStudents;
	const bigPick = rotate(replyFromEnd ? [...bigStudents].reverse() : bigStudents);
	const loginPick = rotate(manifest.students);

	return [
		page('lesson', 'lesson', manifest.pages.lesson, RATIO_TARGETS.page),
		page('article', 'article', manifest.pages.article, RATIO_TARGETS.page),
		page('map', 'actor map', manifest.pages.map, RATIO_TARGETS.page),
		page('overview', 'course overview', manifest.pages.overview, RATIO_TARGETS.page),
		studentPage(
			'quiz',
			'quiz page, mid-attempt',
			openStudents,
			(s) => s.attempt,
			RATIO_TARGETS.page
		),
		{
			name: 'save',
			label: 'save one answer',
			kind: 'action',
			accept: ok2xx,
			// A save answers 200 with a status; only "saved" is a save (checked in the count pass).
			expectBody: /"status":"saved"/,
			next: () => {
				const s = saver();
				return {
					method: 'POST',
					path: `${s.attempt}/answers`,
					headers: { 'content-type': 'application/json', origin, cookie: cookieOf(s.session) },
					body: JSON.stringify({
						position: 1,
						revision: revisionBase + ++revision,
						raw: { answer: ['1'], slots: [] }
					})
				};
			}
		},
		{
			name: 'submit',
			label: 'submit an attempt',
			kind: 'action',
			// Each request submits another open attempt: the run stops when they are used up.
			amount: submitList.length,
			uses: 'attempts',
			accept: redirectTo(/\/attempts\/\d+$/),
			next: () => {
				const s = submitList[submitted++ % submitList.length];
				return {
					method: 'POST',
					path: `${s.attempt}?/submit`,
					headers: formHeaders(cookieOf(s.session)),
					body: form({ positions: '', revision: '1', confirmed: 'yes' })
				};
			}
		},
		studentPage(
			'review',
			'review',
			manifest.students.filter((s) => s.review),
			(s) => s.review,
			RATIO_TARGETS.page
		),
		page(
			'gradebook',
			`gradebook (${big.students} × ${big.quizzes})`,
			big.gradebook,
			RATIO_TARGETS.heavy,
			instructor.cookie
		),
		page('statistics', 'item statistics', big.statistics, RATIO_TARGETS.heavy, instructor.cookie),
		studentPage(
			'thread',
			`thread (${big.threadPosts} posts)`,
			bigStudents,
			() => big.thread,
			RATIO_TARGETS.heavy
		),
		{
			name: 'reply',
			label: 'post a reply',
			kind: 'action',
			// Posting is rate-limited per member (6 a minute): the run writes at most this many.
			amount: replyLimit,
			accept: redirectTo(/\/discussions\/\d+\?post=\d+/),
			next: () => {
				const s = bigPick();
				return {
					method: 'POST',
					path: `${replyThread}?/reply`,
					headers: formHeaders(cookieOf(s.session)),
					body: form({
						body: 'A reply from the bench: the article says more on this in ¶2.',
						clientKey: randomUUID()
					})
				};
			}
		},
		page('moderation', 'moderation queue', big.moderation, RATIO_TARGETS.page, instructor.cookie),
		{
			name: 'login',
			label: 'log in (argon2)',
			kind: 'login',
			accept: redirectTo(/^\/(?!login)/),
			next: () => {
				const s = loginPick();
				return {
					method: 'POST',
					path: '/login',
					headers: formHeaders(),
					body: form({ email: s.email, password: manifest.password })
				};
			}
		}
	];
}
