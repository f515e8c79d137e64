/**
 * Lists read a page at a time (the moderation queue, its members table, the gradebook): each
 * page is one statement whose rows carry the list's size as a window count (`count(*) over ()`),
 * so neither the page nor its "Page n of m" costs more as the list grows.
 */
export interface Paged<T> {
	rows: T[];
	/** How many there are in all, and the page shown (1-based; past the end means the last). */
	total: number;
	page: number;
	pages: number;
}

/** Far past any real list; keeps `offset` a small number whatever the address says. */
const MAX_PAGE = 1_000_000;

/**
 * Page `page` of `size` rows from `read(limit, offset)`, whose rows carry the window count
 * `total`. A page past the end (the list shrank since the link was made) reads the last page
 * instead: one or two more statements, only then.
 */
export async function pageOf<R extends { total: number | string }>(
	size: number,
	page: number,
	read: (limit: number, offset: number) => Promise<R[]>
): Promise<Paged<Omit<R, 'total'>>> {
	let at = Math.min(Math.max(1, Math.floor(page) || 1), MAX_PAGE);
	let rows = await read(size, (at - 1) * size);
	if (rows.length === 0 && at > 1) {
		const probe = await read(1, 0);
		const total = probe.length ? Number(probe[0].total) : 0;
		at = Math.max(1, Math.ceil(total / size));
		rows = total ? await read(size, (at - 1) * size) : [];
	}
	const total = rows.length ? Number(rows[0].total) : 0;
	return {
		rows: rows.map(({ total: _total, ...r }) => r),
		total,
		page: at,
		pages: Math.max(1, Math.ceil(total / size))
	};
}
