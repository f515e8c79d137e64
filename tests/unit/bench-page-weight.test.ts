import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { namedModules, nodeIds, pageWeight, staticImports } from '../../bench/lib/page-weight.js';

// The bench's reader of what JavaScript a page makes the browser load: the modules the page
// names, then their static imports, never their dynamic ones.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'page-weight-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(rel: string, text: string, gz = false) {
	const f = path.join(dir, rel);
	fs.mkdirSync(path.dirname(f), { recursive: true });
	fs.writeFileSync(f, text);
	if (gz) fs.writeFileSync(`${f}.gz`, zlib.gzipSync(text, { level: 9 }));
	return f;
}

const page = `<!doctype html><html><head>
<link href="../_app/immutable/assets/0.css" rel="stylesheet">
<link rel="modulepreload" href="../_app/immutable/chunks/pre.js">
</head><body><script nonce="x">
Promise.all([import("../_app/immutable/entry/start.js"), import("../_app/immutable/entry/app.js")])
  .then(([kit, app]) => { kit.start(app, element, { node_ids: [0, 7], data: [] }); });
</script></body></html>`;

describe('page weight', () => {
	it('reads module URLs from the Link header, modulepreload links and inline imports', () => {
		const link =
			'<../_app/immutable/assets/0.css>; rel="preload"; as="style"; nopush, <../_app/immutable/chunks/hdr.js>; rel="modulepreload"; nopush';
		expect(namedModules(page, link).sort()).toEqual([
			'../_app/immutable/chunks/hdr.js',
			'../_app/immutable/chunks/pre.js',
			'../_app/immutable/entry/app.js',
			'../_app/immutable/entry/start.js'
		]);
		expect(nodeIds(page)).toEqual([0, 7]);
	});

	it('finds static imports and re-exports in minified code, not dynamic imports', () => {
		const code =
			'import{a as b}from"./x.js";import"./side.js";export{c}from"../y.js";' +
			'const n=()=>import("./lazy.js");const s="import";';
		expect(staticImports(code).sort()).toEqual(['../y.js', './side.js', './x.js']);
	});

	it('adds up the gzip size of the page’s modules and their static imports, once each', () => {
		const client = path.join(dir, 'client');
		const imm = '_app/immutable';
		const big = 'export const words = "' + 'lorem ipsum '.repeat(400) + '";\n';
		const files = [
			file(
				`client/${imm}/entry/start.js`,
				'import{w}from"../chunks/shared.js";export const start=1;'
			),
			file(
				`client/${imm}/entry/app.js`,
				'import"../chunks/shared.js";const n=[()=>import("../nodes/0.A.js"),()=>import("../nodes/9.B.js")];',
				true
			),
			file(`client/${imm}/chunks/shared.js`, big),
			file(`client/${imm}/chunks/pre.js`, 'export const p=1;'),
			file(`client/${imm}/nodes/0.A.js`, 'import"../chunks/shared.js";export const node0=1;'),
			file(`client/${imm}/nodes/7.C.js`, 'export const node7=1;')
		];
		// Only lazily imported: not loaded by this page.
		file(`client/${imm}/nodes/9.B.js`, big + big);
		const w = pageWeight({
			html: page,
			linkHeader: '',
			pageUrl: 'http://h/courses/x',
			clientDir: client
		});
		const gz = (f: string) =>
			fs.existsSync(`${f}.gz`)
				? fs.statSync(`${f}.gz`).size
				: zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
		expect(w.missing).toEqual([]);
		expect(w.jsFiles).toBe(files.length);
		expect(w.jsGzip).toBe(files.reduce((n, f) => n + gz(f), 0));
		expect(w.jsBytes).toBe(files.reduce((n, f) => n + fs.statSync(f).size, 0));
		expect(w.htmlBytes).toBe(Buffer.byteLength(page));
	});

	it('lists a named module that is not in the build instead of guessing its size', () => {
		const w = pageWeight({
			html: '<script type="module" src="/_app/gone.js"></script>',
			linkHeader: '',
			pageUrl: 'http://h/',
			clientDir: path.join(dir, 'empty')
		});
		expect(w.missing).toEqual(['http://h/_app/gone.js']);
		expect(w.jsGzip).toBe(0);
	});
});
