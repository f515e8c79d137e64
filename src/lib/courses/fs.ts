// Node only: reads a package folder such as content/<slug>/.
import { readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { PackageFiles } from './package.ts';

// Everything readPackage looks at, and only that: stray files in the folder (notes, images) are
// no part of the package. Lesson files with other names are kept so that they are reported.
const PACKAGE_FILE = /^(?:[^/]+\.ya?ml|article\.txt|questions\.gift|lessons\/[^/]+\.md)$/;

export function readPackageDir(dir: string): PackageFiles {
	const files: PackageFiles = {};
	const paths = readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.map((p) => p.split(sep).join('/'))
		.filter((p) => PACKAGE_FILE.test(p) && !p.split('/').some((part) => part.startsWith('.')))
		.sort();
	for (const path of paths) files[path] = readFileSync(join(dir, path), 'utf8');
	return files;
}
