/** Twenty items, made per request as a page's load would read them: no database. */
export function load() {
	return {
		items: Array.from({ length: 20 }, (_, i) => ({
			id: i + 1,
			title: `Item ${i + 1}`,
			summary: `A short summary of item ${i + 1}, as a list page would show it.`
		}))
	};
}
