import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	return { signedIn: !!locals.user };
};
