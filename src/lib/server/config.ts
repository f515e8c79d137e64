import path from 'node:path';
import type { DatabaseConfig } from './db/connect.ts';

// Every environment variable the server reads is read here (and listed in .env.example and the README).
export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
	const url = env.DATABASE_URL?.trim();
	if (url) {
		if (!/^postgres(ql)?:\/\//.test(url)) {
			throw new Error(
				'DATABASE_URL must be a postgres:// or postgresql:// URL (or unset it to use the embedded database).'
			);
		}
		return { kind: 'postgres', url };
	}
	const dir = env.PGLITE_DIR?.trim() || path.join('data', 'pglite');
	return { kind: 'pglite', dir: dir === 'memory://' ? dir : path.resolve(dir) };
}

/** Demo accounts are made on a fresh embedded database, or on a server only when asked for. */
export function shouldSeedDemo(env: NodeJS.ProcessEnv = process.env): boolean {
	if (env.SEED_DEMO === '1' || env.SEED_DEMO === 'true') return true;
	if (env.SEED_DEMO === '0' || env.SEED_DEMO === 'false') return false;
	return !env.DATABASE_URL?.trim();
}
