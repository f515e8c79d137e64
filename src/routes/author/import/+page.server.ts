import { fail, redirect } from '@sveltejs/kit';
import { filesFromJson, filesFromZip, MAX_PACKAGE_BYTES } from '$lib/courses/archive';
import type { PackageError, PackageFiles } from '$lib/courses/package';
import { readPackage } from '$lib/courses/read';
import { importCoursePackage } from '$lib/server/courses/authoring';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/web/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'instructor');
	return { maxMegabytes: Math.round(MAX_PACKAGE_BYTES / 1024 / 1024) };
};

interface ImportFailure {
	fileName: string | null;
	errors: Record<string, string>;
	packageErrors: PackageError[];
	/** Slug of the course already there, and whether this user may replace it. */
	exists: { slug: string; canReplace: boolean } | null;
}

function refuse(failure: Partial<ImportFailure>) {
	return fail(400, {
		fileName: null,
		errors: {},
		packageErrors: [],
		exists: null,
		...failure
	} satisfies ImportFailure);
}

// A zip starts with "PK"; anything else is read as the JSON form.
const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b;

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'instructor');
		const form = await event.request.formData();
		const file = form.get('package');
		const replace = form.get('replace') === 'on';
		if (!(file instanceof File) || file.size === 0)
			return refuse({ errors: { package: 'Choose a course package: a .zip or .json file.' } });
		const fileName = file.name;

		let files: PackageFiles;
		try {
			const bytes = new Uint8Array(await file.arrayBuffer());
			files = isZip(bytes) ? filesFromZip(bytes) : filesFromJson(new TextDecoder().decode(bytes));
		} catch (e) {
			return refuse({
				fileName,
				errors: { package: e instanceof Error ? e.message : 'This file cannot be read.' }
			});
		}

		const { pkg, errors } = readPackage(files);
		if (!pkg) return refuse({ fileName, packageErrors: errors });

		const result = await importCoursePackage(await getDb(), user, pkg, { replace });
		if (!result.ok) {
			const message = result.message
				? result.message
				: result.canReplace
					? `You already have a course at the address “${result.slug}”. To replace it with this package, tick the box and choose the file again.`
					: `A course at the address “${result.slug}” already exists and is not yours: change the slug in course.yaml and upload again.`;
			return refuse({
				fileName,
				errors: { package: message },
				exists: { slug: result.slug, canReplace: result.canReplace }
			});
		}
		redirect(303, `/author/courses/${result.slug}`);
	}
};
