/**
 * A package's files to and from the two forms instructors upload and download: a zip of the
 * folder, or one JSON document. Errors are thrown with messages meant to be shown to them.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { PackageFiles } from './package.ts';

export const JSON_FORMAT = 'perspectives-course/1';
/** Uncompressed, for all files together; a course is text and far smaller. */
export const MAX_PACKAGE_BYTES = 2 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// Finder and other tools add their own files, and a folder entry carries no content.
function ignored(path: string): boolean {
	return (
		path.endsWith('/') ||
		path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX')
	);
}

class TooLarge extends Error {}

function tooLarge(): Error {
	return new Error(
		`The package is larger than ${megabytes(MAX_PACKAGE_BYTES)} unpacked; a course package holds only text files.`
	);
}

export function filesFromZip(bytes: Uint8Array): PackageFiles {
	let total = 0;
	let raw: Record<string, Uint8Array>;
	try {
		raw = unzipSync(bytes, {
			filter(file) {
				if (ignored(file.name)) return false;
				// Checked on the sizes the zip declares, before anything is inflated.
				total += file.originalSize;
				if (total > MAX_PACKAGE_BYTES) throw new TooLarge();
				return true;
			}
		});
	} catch (e) {
		if (e instanceof TooLarge) throw tooLarge();
		throw new Error(
			`This is not a zip file that can be read (${e instanceof Error ? e.message : e}).`,
			{ cause: e }
		);
	}
	const entries = Object.entries(raw);
	if (entries.reduce((sum, [, data]) => sum + data.length, 0) > MAX_PACKAGE_BYTES) throw tooLarge();
	if (entries.length === 0) throw new Error('The zip file holds no files.');

	const paths = entries.map(([path]) => path.replace(/^\/+/, ''));
	const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
	const strip = tops.size === 1 && !tops.has('') ? [...tops][0].length + 1 : 0;

	const decoder = new TextDecoder('utf-8', { fatal: true });
	const files: PackageFiles = {};
	entries.forEach(([, data], i) => {
		const path = paths[i].slice(strip);
		try {
			files[path] = decoder.decode(data);
		} catch {
			throw new Error(`${path} is not UTF-8 text; a course package holds only text files.`);
		}
	});
	return files;
}

/** The files inside a folder named `folder` (the course slug), as `content/` holds them. */
export function zipFromFiles(files: PackageFiles, folder: string): Uint8Array {
	const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
	const entries = Object.fromEntries(
		Object.entries(files).map(([path, text]) => [`${prefix}${path}`, strToU8(text)])
	);
	return zipSync(entries, { level: 9 });
}

export function filesFromJson(text: string): PackageFiles {
	let data: unknown;
	try {
		data = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (e) {
		throw new Error(`This is not valid JSON (${e instanceof Error ? e.message : e}).`, {
			cause: e
		});
	}
	if (!isRecord(data) || data.format !== JSON_FORMAT) {
		throw new Error(
			`This is not a course package: expected { "format": "${JSON_FORMAT}", "files": { … } }.`
		);
	}
	if (!isRecord(data.files)) {
		throw new Error('The package has no "files" object (file path → file text).');
	}
	const files: PackageFiles = {};
	for (const [path, content] of Object.entries(data.files)) {
		if (typeof content !== 'string')
			throw new Error(`"files" → "${path}" must be the file's text.`);
		files[path] = content;
	}
	return files;
}

export function jsonFromFiles(files: PackageFiles): string {
	return `${JSON.stringify({ format: JSON_FORMAT, files }, null, '\t')}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
