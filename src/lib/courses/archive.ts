/**
 * A package's files to and from the two forms instructors upload and download: a zip of the
 * folder, or one JSON document. Errors are thrown with messages meant to be shown to them.
 */
import { Inflate, strToU8, zipSync } from 'fflate';
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

function tooLarge(): Error {
	return new Error(
		`The package is larger than ${megabytes(MAX_PACKAGE_BYTES)} unpacked; a course package holds only text files.`
	);
}

/**
 * The entries of a zip, read from its central directory. Each is inflated with a limit on the bytes
 * actually produced: a zip may declare 100 bytes and hold a gigabyte, and inflating that in one go
 * held the server for seconds.
 */
export function filesFromZip(bytes: Uint8Array): PackageFiles {
	let entries: ZipEntry[];
	try {
		entries = zipEntries(bytes).filter((e) => !ignored(e.name));
	} catch (e) {
		throw new Error(
			`This is not a zip file that can be read (${e instanceof Error ? e.message : e}).`,
			{ cause: e }
		);
	}
	const declared = entries.reduce((sum, e) => sum + e.size, 0);
	if (declared > MAX_PACKAGE_BYTES) throw tooLarge();

	const raw: [string, Uint8Array][] = [];
	for (const entry of entries) raw.push([entry.name, unpack(bytes, entry)]);
	if (raw.length === 0) throw new Error('The zip file holds no files.');

	const paths = raw.map(([path]) => path.replace(/^\/+/, ''));
	const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
	const strip = tops.size === 1 && !tops.has('') ? [...tops][0].length + 1 : 0;

	const decoder = new TextDecoder('utf-8', { fatal: true });
	const files: PackageFiles = {};
	raw.forEach(([, data], i) => {
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

interface ZipEntry {
	name: string;
	method: number;
	/** The uncompressed size the archive declares. */
	size: number;
	compressedSize: number;
	/** Offset of the entry's local header. */
	offset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

function zipEntries(bytes: Uint8Array): ZipEntry[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const u16 = (at: number) => view.getUint16(at, true);
	const u32 = (at: number) => view.getUint32(at, true);
	// The end record is the last 22 bytes, unless the archive has a comment (up to 64 KB).
	let end = -1;
	for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
		if (u32(at) === EOCD) {
			end = at;
			break;
		}
	}
	if (end === -1) throw new Error('no end of central directory');
	const count = u16(end + 10);
	let at = u32(end + 16);
	if (count === 0xffff || at === 0xffffffff) throw new Error('ZIP64 archives are not supported');

	const decoder = new TextDecoder();
	const latin1 = new TextDecoder('latin1');
	const entries: ZipEntry[] = [];
	for (let i = 0; i < count; i++) {
		if (at + 46 > bytes.length || u32(at) !== CENTRAL) throw new Error('damaged central directory');
		const flags = u16(at + 8);
		const nameLength = u16(at + 28);
		const name = (flags & 0x800 ? decoder : latin1).decode(
			bytes.subarray(at + 46, at + 46 + nameLength)
		);
		if (flags & 1) throw new Error(`${name} is encrypted`);
		entries.push({
			name,
			method: u16(at + 10),
			compressedSize: u32(at + 20),
			size: u32(at + 24),
			offset: u32(at + 42)
		});
		at += 46 + nameLength + u16(at + 30) + u16(at + 32);
	}
	return entries;
}

/** Inflated in slices of this many input bytes, so that no slice yields more than ~1 MB. */
const SLICE = 1024;

function unpack(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
	const damaged = (why: string) => new Error(`The zip file is damaged: ${entry.name} ${why}.`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL)
		throw damaged('cannot be found');
	const start =
		entry.offset +
		30 +
		view.getUint16(entry.offset + 26, true) +
		view.getUint16(entry.offset + 28, true);
	if (start + entry.compressedSize > bytes.length) throw damaged('is cut short');
	const data = bytes.subarray(start, start + entry.compressedSize);

	if (entry.method === STORED) {
		if (data.length !== entry.size) throw damaged('does not hold the size it declares');
		return data;
	}
	if (entry.method !== DEFLATED)
		throw new Error(
			`${entry.name} is compressed in a way this reader does not know (method ${entry.method}); zip it again with the usual settings.`
		);

	// The declared sizes were checked against the limit, so the declared size is the limit here.
	const out = new Uint8Array(entry.size);
	let produced = 0;
	const inflate = new Inflate((chunk) => {
		if (produced + chunk.length > out.length)
			throw damaged(`unpacks to more than the ${entry.size} bytes it declares`);
		out.set(chunk, produced);
		produced += chunk.length;
	});
	try {
		for (let at = 0; ; at += SLICE) {
			const last = at + SLICE >= data.length;
			inflate.push(data.subarray(at, at + SLICE), last);
			if (last) break;
		}
	} catch (e) {
		if (e instanceof Error && e.message.startsWith('The zip file is damaged')) throw e;
		throw damaged(`cannot be unpacked (${e instanceof Error ? e.message : e})`);
	}
	if (produced !== entry.size) throw damaged('does not hold the size it declares');
	return out;
}
