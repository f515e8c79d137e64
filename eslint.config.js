import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// TypeScript already reports undefined names, with types.
			'no-undef': 'off',
			// The app is served at the root (no `paths.base`), so plain hrefs are already resolved.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// The bench's minimal SvelteKit app is a project of its own, outside the root tsconfig:
		// its page is linted without type information.
		files: ['bench/minimal/**/*.svelte'],
		languageOptions: { parserOptions: { projectService: false } }
	},
	{
		// Routes are thin: SQL lives in the area modules under src/lib/server/<area>/, so a route may
		// not build queries (kysely) or reach past the database module's front door. Type-only
		// imports (a row type in a signature) are allowed.
		files: ['src/routes/**'],
		rules: {
			'no-restricted-imports': 'off',
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['kysely', 'kysely/*'],
							allowTypeImports: true,
							message: 'Routes do not build SQL: call a function of src/lib/server/<area>/ instead.'
						},
						{
							group: ['$lib/server/db/*', '!$lib/server/db/index', '**/lib/server/db/*'],
							allowTypeImports: true,
							message:
								'Routes use the database through $lib/server/db (getDb, inTransaction) and the area modules, not its internals.'
						}
					]
				}
			]
		}
	},
	{
		// Migrations work on any schema, so they take Kysely<any>.
		files: ['migrations/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results/',
			'playwright-report/',
			// The bench's minimal SvelteKit app: its build output
			'bench/minimal/build/',
			'bench/minimal/.svelte-kit/',
			// Scratch files (gitignored)
			'.tmp/'
		]
	}
);
