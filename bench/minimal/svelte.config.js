// The minimal SvelteKit baseline of `npm run bench`: one page, a 20-item list from `load`, no
// database, adapter-node. Built with the root's installed packages (vite run with this folder as
// its working directory), so it needs no install of its own.
import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
	kit: { adapter: adapter({ out: 'build' }) }
};
