// Join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a code read
// off a projector is typed right. 31^8 ≈ 8.5 × 10^11 codes; with join attempts rate-limited,
// guessing one is hopeless.
export const JOIN_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 8;

export function generateJoinCode(): string {
	const bytes = new Uint8Array(JOIN_CODE_LENGTH * 2);
	crypto.getRandomValues(bytes);
	let code = '';
	// Rejection sampling keeps every character equally likely (256 is not a multiple of 31).
	const limit = 256 - (256 % JOIN_ALPHABET.length);
	for (const b of bytes) {
		if (b >= limit) continue;
		code += JOIN_ALPHABET[b % JOIN_ALPHABET.length];
		if (code.length === JOIN_CODE_LENGTH) return code;
	}
	return code + generateJoinCode().slice(code.length);
}

/** What a person typed, as a code: case, spaces and dashes do not matter. */
export function normaliseJoinCode(input: string): string {
	return input.toUpperCase().replace(/[\s-]/g, '');
}

export function isWellFormedCode(code: string): boolean {
	return code.length === JOIN_CODE_LENGTH && [...code].every((ch) => JOIN_ALPHABET.includes(ch));
}
