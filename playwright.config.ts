import fs from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';

// Debian's Chromium when present (browsers cannot be downloaded on every machine), else the one
// Playwright installed, else a message saying how to get one.
function chromiumPath(): string | undefined {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const found = candidates.find((p) => p && fs.existsSync(p));
	if (found) return found;
	if (fs.existsSync(chromium.executablePath())) return undefined;
	throw new Error(
		'No Chromium for the end-to-end tests. Install one with `sudo apt-get install chromium` ' +
			'(Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH to its executable.'
	);
}

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: process.env.CI ? 'list' : [['list']],
	timeout: 30_000,
	expect: { timeout: 5_000 },
	use: {
		baseURL: `http://localhost:${port}`,
		// Recording a trace costs about a third of the suite's CPU (screencast frames and DOM snapshots
		// at every step), so CI keeps the failure screenshot only; locally a failure keeps its trace.
		trace: process.env.CI ? 'off' : 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: chromiumPath(),
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
	webServer: {
		command: 'node tests/e2e/serve.js',
		url: `http://localhost:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		env: { E2E_PORT: String(port) }
	}
});
