import { redirect } from '@sveltejs/kit';
import { filesFromJson, filesFromZip, MAX_PACKAGE_BYTES } from '$lib/courses/archive';
import type { PackageError, PackageFiles } from '$lib/courses/package';
import { readPackage } from '$lib/courses/read';
import { importCoursePackage } from '$lib/server/courses/authoring';
import { getDb } from '$lib/server/db';
import { failure, type Problem } from '$lib/server/web/forms';
import { requireRole } from '$lib/server/web/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'instructor');
	return { maxMegabytes: Math.round(MAX_PACKAGE_BYTES / 1024 / 1024) };
};

/** An uploaded package's problems, by file and line: the author has the files to fix. */
const asProblems = (errors: PackageError[]): Problem[] =>
	errors.map((e) => ({
		where: e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : 'The package',
		message: e.message,
		href: null
	}));

const KINDS: Record<string, string> = {
	pdf: 'a PDF document',
	doc: 'a Word document',
	docx: 'a Word document',
	odt: 'a text document',
	txt: 'a plain text file',
	md: 'a Markdown file',
	html: 'a web page',
	png: 'an image',
	jpg: 'an image',
	jpeg: 'an image',
	gif: 'an image',
	webp: 'an image',
	gift: 'a question file (GIFT)',
	yaml: 'a YAML file',
	yml: 'a YAML file',
	gz: 'a compressed file that is not a zip',
	tar: 'a tar archive',
	rar: 'a RAR archive',
	'7z': 'a 7-Zip archive'
};

/**
 * Says, in plain words, why a file is not a package; undefined when it may be one. A name that
 * says what else it is (a Word document is a zip inside) decides; otherwise the contents do.
 */
function wrongFileType(name: string, bytes: Uint8Array): string | undefined {
	const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
	const upload =
		'Upload the course as a .zip file (or a .json file), as the Download buttons of the course editor make it.';
	if (KINDS[ext]) return `“${name}” is ${KINDS[ext]}, not a course package. ${upload}`;
	const head = new TextDecoder()
		.decode(bytes.subarray(0, 64))
		.replace(/^\uFEFF/, '')
		.trimStart();
	if (isZip(bytes) || ext === 'json' || head.startsWith('{')) return undefined;
	return `“${name}” is neither a zip nor a JSON file, so it is not a course package. ${upload}`;
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
			return failure(400, {
				errors: { package: 'Choose a course package: a .zip or .json file.' }
			});
		const fileName = file.name;

		let files: PackageFiles;
		try {
			const bytes = new Uint8Array(await file.arrayBuffer());
			const wrong = wrongFileType(fileName, bytes);
			if (wrong) return failure(400, { errors: { package: wrong }, values: { fileName } });
			files = isZip(bytes) ? filesFromZip(bytes) : filesFromJson(new TextDecoder().decode(bytes));
		} catch (e) {
			return failure(400, {
				errors: { package: e instanceof Error ? e.message : 'This file cannot be read.' },
				values: { fileName }
			});
		}

		const { pkg, errors } = readPackage(files);
		if (!pkg)
			return failure(400, {
				message: `${fileName} was not imported: fix ${errors.length === 1 ? 'this problem' : `these ${errors.length} problems`} and upload it again.`,
				problems: asProblems(errors),
				values: { fileName }
			});

		const result = await importCoursePackage(await getDb(), user, pkg, { replace });
		if (!result.ok) {
			const message =
				result.message ??
				(result.canReplace
					? `You already have a course at the address “${result.slug}”. To replace it with this package, tick the box and choose the file again.`
					: `A course at the address “${result.slug}” already exists and is not yours: change the slug in course.yaml and upload again.`);
			// The slug of the user's own course that this package may replace, for the checkbox.
			return failure(409, {
				errors: { package: message },
				values: { fileName, ...(result.canReplace ? { replaceable: result.slug } : {}) }
			});
		}
		redirect(303, `/author/courses/${result.slug}`);
	}
};
