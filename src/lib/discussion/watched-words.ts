// TEMPORARY local stand-in (not committed): replaced by the md branch.
export type WatchedWord = {
	word: string;
	action: 'block' | 'hold' | 'replace';
	replacement: string | null;
};
export function applyWatchedWords(body: string, words: WatchedWord[]) {
	const blocked: string[] = [];
	const held: string[] = [];
	let out = body;
	for (const w of words) {
		const re = new RegExp(`\\b${w.word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'gi');
		if (!re.test(body)) continue;
		if (w.action === 'block') blocked.push(w.word);
		else if (w.action === 'hold') held.push(w.word);
		else out = out.replace(re, w.replacement ?? '');
	}
	return { blocked, held, body: out };
}
export function checkWatchedWord(input: string): { word: string; error?: string } {
	const word = input.trim().toLowerCase();
	if (!word || word.length > 60) return { word, error: 'Write a word of 1 to 60 characters.' };
	return { word };
}
