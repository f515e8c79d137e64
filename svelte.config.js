import fs from 'node:fs';
import path from 'node:path';
import nodeAdapter from '@sveltejs/adapter-node';

/**
 * adapter-node, with one step after it: `build/index.js` first loads scripts/server-setup.js
 * (headers for the static files, which adapter-node serves before any hook, and the listen
 * backlog, which it leaves at Node's default), then adapter-node's
 * server, moved to `build/server.js`. `node build` and `npm start` both go through it.
 * @param {import('@sveltejs/adapter-node').AdapterOptions & { out: string }} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter(options) {
	const base = nodeAdapter(options);
	return {
		...base,
		async adapt(builder) {
			await base.adapt(builder);
			const out = options.out;
			fs.renameSync(path.join(out, 'index.js'), path.join(out, 'server.js'));
			fs.copyFileSync('scripts/server-setup.js', path.join(out, 'server-setup.js'));
			fs.writeFileSync(
				path.join(out, 'index.js'),
				"import './server-setup.js';\nawait import('./server.js');\n"
			);
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	compilerOptions: {
		// Runes everywhere in our own code; libraries decide for themselves.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		// Cross-site form posts are refused (403) by SvelteKit's origin check; keep it on.
		csrf: { trustedOrigins: [] },
		// Defence in depth behind the Markdown sanitiser: only our own scripts run (SvelteKit adds a
		// nonce to its inline start-up script), forms post only here, no framing.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
