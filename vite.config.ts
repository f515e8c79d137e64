import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					// One worker, one database (PGlite in memory, or TEST_DATABASE_URL), migrated
					// once and emptied between tests: starting PGlite costs seconds.
					pool: 'forks',
					maxWorkers: 1,
					isolate: false,
					fileParallelism: false,
					setupFiles: ['tests/integration/setup.ts'],
					testTimeout: 30000,
					hookTimeout: 60000
				}
			}
		]
	}
});
