import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

// argon2id with the library's defaults (m=19456 KiB, t=2, p=1): OWASP's recommended minimum.
export function hashPassword(password: string): Promise<string> {
	return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
	try {
		return await verify(hashed, password);
	} catch {
		return false;
	}
}

// Verifying against this makes a login for an unknown email cost the same time as a real one.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
	dummyHash ??= hash('not-a-real-password-just-for-timing');
	await verifyPassword(await dummyHash, password);
}

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(
	password: string,
	context: { email?: string; name?: string } = {}
): string | undefined {
	if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
	if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
	const lower = password.toLowerCase();
	if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
		return 'This password is too common; choose one that is harder to guess.';
	}
	const localPart = context.email?.split('@')[0]?.toLowerCase();
	if (localPart && localPart.length >= 4 && lower === localPart) {
		return 'Do not use your email address as your password.';
	}
	return undefined;
}
