// TEMPORARY local stand-in (not committed): replaced by the md branch.
export function mentionHandle(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}
export function findMentions(body: string, members: { id: number; name: string }[]): number[] {
	const handles = new Set([...body.matchAll(/@([A-Za-z0-9]+)/g)].map((m) => m[1].toLowerCase()));
	return members
		.filter((m) => handles.has(mentionHandle(m.name)))
		.map((m) => m.id)
		.slice(0, 20);
}
