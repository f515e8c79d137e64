import { expect } from '@playwright/test';
import { expectAccessible, test } from './helpers.ts';

test('an unknown address gets a friendly 404 page with no stack trace', async ({ page }) => {
	const res = await page.goto('/no/such/page');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await expect(page.locator('body')).not.toContainText(/at .*\.js:\d+/);
	await expectAccessible(page);
});

test('the skip link moves focus to the main content and focus is visible', async ({ page }) => {
	await page.goto('/login');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#main$/);
	const outline = await page.evaluate(() => {
		const a = document.querySelector('.brand') as HTMLElement;
		a.focus();
		return getComputedStyle(a).outlineStyle;
	});
	expect(outline).not.toBe('none');
});

test('pages fit a phone screen without sideways scrolling', async ({ browser }) => {
	const phone = await (
		await browser.newContext({ viewport: { width: 360, height: 740 } })
	).newPage();
	for (const path of ['/', '/login', '/signup']) {
		await phone.goto(path);
		const overflow = await phone.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow, path).toBeLessThanOrEqual(0);
	}
});

test('dark theme follows the system setting and passes the contrast checks', async ({
	browser
}) => {
	const dark = await (await browser.newContext({ colorScheme: 'dark' })).newPage();
	await dark.goto('/signup');
	const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
	expect(bg).toBe('rgb(21, 23, 26)');
	await expectAccessible(dark);
});

test('forms work without JavaScript, and the server never echoes a password', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Email').fill('nobody@example.org');
	await page.getByLabel('Password').fill('whatever it is');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email or password is wrong.');
	await expect(page.getByLabel('Email')).toHaveValue('nobody@example.org');
	await expect(page.getByLabel('Password')).toHaveValue('');

	await page.goto('/signup');
	await page.getByLabel('Your name').fill('No Script');
	await page.getByLabel('Email').fill('noscript@example.org');
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
	await expect(page.getByLabel('Your name')).toHaveValue('No Script');
	await expect(page.getByLabel('Password')).toHaveValue('');
	expect(await page.content()).not.toContain('value="short"');
});

test('health check, cross-site posts and oversized bodies', async ({ request, baseURL }) => {
	expect((await request.get('/healthz')).status()).toBe(200);
	const crossSite = await request.post('/login', {
		form: { email: 'a@example.org', password: 'whatever it is' },
		headers: { origin: 'https://evil.example' }
	});
	expect(crossSite.status()).toBe(403);
	const big = await request.post('/signup', {
		data: 'x'.repeat(4 * 1024 * 1024),
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseURL!
		}
	});
	expect(big.status()).toBe(413);
});

test('a form post whose body cannot be read gets 400, not a server error', async ({
	request,
	baseURL
}) => {
	const res = await request.post('/login', {
		data: '--broken\r\nnot a multipart body',
		headers: { 'content-type': 'multipart/form-data; boundary=xyz', origin: baseURL! }
	});
	expect(res.status()).toBe(400);
	expect(await res.text()).toContain('could not be read');
});

test('pages carry a content security policy', async ({ request }) => {
	const res = await request.get('/login');
	const csp = res.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("script-src 'self'");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toMatch(/'nonce-[^']+'/);
});
