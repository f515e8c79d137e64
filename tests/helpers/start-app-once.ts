// Run by tsx in a child process (tests/integration/many-instances.test.ts): does what an app
// instance does at start (startApp, without the job timer), then exits 0, or 1 with the error.
import { startApp } from '../../src/lib/server/startup.ts';
import { closeDatabase } from '../../src/lib/server/db/index.ts';

const lines: string[] = [];
try {
	await startApp((line) => lines.push(line), { jobs: false });
	await closeDatabase();
	console.log(JSON.stringify({ ok: true, lines }));
} catch (e) {
	console.log(
		JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e), lines })
	);
	process.exitCode = 1;
}
