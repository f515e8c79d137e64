import type { JoinResult } from '../classes/classes.ts';

/** What the join page says for a refused join. */
export function joinRefusal(result: Exclude<JoinResult, { ok: true }>): {
	status: number;
	message: string;
} {
	switch (result.reason) {
		case 'unknown':
			return {
				status: 400,
				message:
					'No class has that code. Check it with your instructor: codes have 8 letters and digits.'
			};
		case 'changed':
			return {
				status: 410,
				message: 'This class’s code has changed; ask your instructor for the new one.'
			};
		case 'closed':
			return {
				status: 400,
				message:
					'This class is not taking new members right now. Ask your instructor to turn joining on.'
			};
		case 'archived':
			return { status: 400, message: 'This class is archived and no longer takes new members.' };
		case 'throttled': {
			const mins = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 60000));
			return {
				status: 429,
				message: `Too many wrong codes. Try again in ${mins} minute${mins === 1 ? '' : 's'}.`
			};
		}
	}
}
