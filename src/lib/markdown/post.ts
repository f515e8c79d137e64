// TEMPORARY local stand-in (not committed): replaced by the md branch.
export function quotePost(body: string, authorName: string): string {
	return `${authorName} wrote:\n\n${body
		.split('\n')
		.map((l) => `> ${l}`)
		.join('\n')}\n\n`;
}
