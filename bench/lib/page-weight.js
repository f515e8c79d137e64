// What a browser downloads for a page: its HTML, and the JavaScript modules the page loads at
// start (gzip, as the files in build/client are served precompressed). The modules are those
// the page names (modulepreload links in the HTML or the Link header, `import("…")` in its
// inline start-up script, the route nodes of `node_ids`), followed through their static imports
// (`import … from "…"`, `import "…"`, `export … from "…"`). Dynamic imports inside those modules
// are not followed: the browser fetches them only when that code runs.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Module URLs (as written, possibly relative) that the HTML and its Link header name.
 * @param {string} html
 * @param {string} [linkHeader]
 * @returns {string[]}
 */
export function namedModules(html, linkHeader = '') {
	const out = new Set();
	for (const m of linkHeader.matchAll(/<([^>]+)>\s*;([^,]*)/g)) {
		if (/rel="?modulepreload"?/.test(m[2])) out.add(m[1]);
	}
	for (const m of html.matchAll(/<link\b[^>]*>/g)) {
		if (!/rel=["']?modulepreload/.test(m[0])) continue;
		const href = /href=["']([^"']+)["']/.exec(m[0]);
		if (href) out.add(href[1]);
	}
	for (const s of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
		const src = /src=["']([^"']+)["']/.exec(s[1]);
		if (src && /type=["']?module/.test(s[1])) out.add(src[1]);
		for (const m of s[2].matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) out.add(m[1]);
	}
	return [...out];
}

/**
 * The route node indexes SvelteKit's start-up script hydrates (`node_ids: [0, 12]`).
 * @param {string} html
 * @returns {number[]}
 */
export function nodeIds(html) {
	const m = /node_ids:\s*\[([\d,\s]*)\]/.exec(html);
	return m
		? m[1]
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean)
				.map(Number)
		: [];
}

/**
 * Specifiers of a module's static imports and re-exports (not `import(…)`).
 * @param {string} code
 * @returns {string[]}
 */
export function staticImports(code) {
	const out = new Set();
	for (const m of code.matchAll(
		/(?:^|[^\w$.])(?:import|export)\s*[\w$*{},\s]*?\bfrom\s*["']([^"']+)["']/g
	))
		out.add(m[1]);
	for (const m of code.matchAll(/(?:^|[^\w$.])import\s*["']([^"']+)["']/g)) out.add(m[1]);
	return [...out];
}

/** @param {string} file */
function gzipSize(file) {
	const gz = `${file}.gz`;
	if (fs.existsSync(gz)) return fs.statSync(gz).size;
	return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/**
 * The page's weight. `pageUrl` resolves the relative URLs; `clientDir` is build/client, where
 * `/_app/…` files live. A named module that is not there is listed in `missing` (and not
 * guessed at).
 * @param {{ html: string, linkHeader?: string, pageUrl: string, clientDir: string }} page
 */
export function pageWeight({ html, linkHeader = '', pageUrl, clientDir }) {
	/** @param {string} url */
	const toFile = (url) => path.join(clientDir, decodeURIComponent(new URL(url).pathname));
	const queue = namedModules(html, linkHeader).map((u) => new URL(u, pageUrl).href);
	const nodesDir = path.join(clientDir, '_app', 'immutable', 'nodes');
	const nodeFiles = fs.existsSync(nodesDir) ? fs.readdirSync(nodesDir) : [];
	for (const id of nodeIds(html)) {
		const f = nodeFiles.find((n) => n.startsWith(`${id}.`) && n.endsWith('.js'));
		if (f) queue.push(new URL(`/_app/immutable/nodes/${f}`, pageUrl).href);
	}
	const seen = new Set();
	const missing = [];
	let jsBytes = 0;
	let jsGzip = 0;
	for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
		if (seen.has(url)) continue;
		seen.add(url);
		const file = toFile(url);
		if (!fs.existsSync(file)) {
			missing.push(url);
			continue;
		}
		const code = fs.readFileSync(file, 'utf8');
		jsBytes += Buffer.byteLength(code);
		jsGzip += gzipSize(file);
		for (const spec of staticImports(code)) {
			if (spec.startsWith('.') || spec.startsWith('/')) queue.push(new URL(spec, url).href);
		}
	}
	return {
		htmlBytes: Buffer.byteLength(html),
		htmlGzip: zlib.gzipSync(html).length,
		jsFiles: seen.size - missing.length,
		jsBytes,
		jsGzip,
		missing
	};
}
