/**
 * Which questions of an attempt a page shows, as Moodle's "new page every N questions":
 * `perPage` 0 puts them all on one page; otherwise page p holds positions (p−1)·N+1 … p·N.
 * A page number out of range (typed, or from an older link) is brought into range.
 */
export interface QuizPage {
	page: number;
	pages: number;
	/** The positions (1-based) shown on this page, in order. */
	positions: number[];
}

export function quizPage(total: number, perPage: number, requested: number | null): QuizPage {
	const all = Array.from({ length: total }, (_, i) => i + 1);
	if (perPage <= 0 || total === 0) return { page: 1, pages: 1, positions: all };
	const pages = Math.ceil(total / perPage);
	const page = Math.min(Math.max(1, requested ?? 1), pages);
	return { page, pages, positions: all.slice((page - 1) * perPage, page * perPage) };
}
