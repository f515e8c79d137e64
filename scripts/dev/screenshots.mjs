import { chromium } from '@playwright/test';
const base = process.argv[2];
const out = process.argv[3];
const pages = process.argv.slice(4);
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
});
for (const spec of pages) {
	const [path, name, w, login, scheme] = spec.split('|');
	const ctx = await browser.newContext({
		viewport: { width: Number(w || 1280), height: 900 },
		colorScheme: scheme || 'light'
	});
	const page = await ctx.newPage();
	if (login) {
		const [email, pw] = login.split(':');
		await page.goto(base + '/login');
		await page.fill('#field-email', email);
		await page.fill('#field-password', pw);
		await Promise.all([
			page.waitForURL((u) => !u.pathname.startsWith('/login')),
			page.click('main button[type=submit]')
		]);
	}
	await page.goto(base + path);
	await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
	await ctx.close();
}
await browser.close();
