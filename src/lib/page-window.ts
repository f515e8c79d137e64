/**
 * The page numbers a pager shows: the first, the last, and those within `around` of the current
 * one, with `null` where a run of numbers is left out ("…"). A gap of a single page shows that
 * page instead, since "…" would take the same room. 40 pages on a phone are one row, not seven.
 */
export function pageWindow(page: number, pages: number, around = 2): (number | null)[] {
	const shown: (number | null)[] = [];
	let last = 0;
	for (let n = 1; n <= pages; n++) {
		if (n !== 1 && n !== pages && Math.abs(n - page) > around) continue;
		if (n === last + 2) shown.push(n - 1);
		else if (n > last + 2) shown.push(null);
		shown.push(n);
		last = n;
	}
	return shown;
}
