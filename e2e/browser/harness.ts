/**
 * The browser test's frame: Debian's Chromium through playwright-core, one page, and checks that
 * print `ok - …` / `not ok - …`, append `pass …` / `fail …` to the results file e2e/browser/run.sh
 * counts, and leave a screenshot of the page as it was when a check failed.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
	'--no-sandbox', // root
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	// Without these Chromium keeps trying to reach Google's servers (no network here).
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** A modest window: the README's pictures are taken at this size. */
export const VIEWPORT = { width: 1280, height: 800 };

export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
	// n8n's editor marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS,
	});
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	// tsx compiles the functions handed to page.evaluate with esbuild's name helper: the page
	// needs it too.
	await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);
	return { browser, page };
}

export class Checks {
	private count = 0;

	constructor(
		private readonly page: Page,
		private readonly resultsFile: string,
		private readonly screenshotDir: string,
	) {
		mkdirSync(screenshotDir, { recursive: true });
	}

	/** Runs one check; a failure is recorded with its message and a screenshot, never thrown. */
	async check(what: string, body: () => Promise<string | void>): Promise<boolean> {
		this.count += 1;
		const started = Date.now();
		try {
			const detail = await body();
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			this.record('pass', `${what}${detail ? ` (${detail})` : ''} [${seconds}s]`);
			return true;
		} catch (error) {
			const shot = join(this.screenshotDir, `failed-${String(this.count).padStart(2, '0')}.png`);
			await this.page.screenshot({ path: shot }).catch(() => undefined);
			this.record('fail', what);
			const message = error instanceof Error ? error.message : String(error);
			for (const line of message.split('\n').slice(0, 12)) console.log(`#   ${line}`);
			console.log(`#   screenshot: ${shot}`);
			return false;
		}
	}

	private record(status: 'pass' | 'fail', what: string): void {
		console.log(`${status === 'pass' ? 'ok' : 'not ok'} - ${what}`);
		appendFileSync(this.resultsFile, `${status} ${what}\n`);
	}
}

/** Throws `message` (with what was seen) unless `actual` equals `expected`, compared as JSON. */
export function expectEqual<T>(actual: T, expected: T, message: string): void {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) {
		throw new Error(
			`${message}\n  expected: ${JSON.stringify(expected)}\n  saw:      ${JSON.stringify(actual)}`,
		);
	}
}

/** Polls `probe` until `accept` takes its value or `timeoutMs` passes; returns the last value. */
export async function waitUntil<T>(
	probe: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs: number,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await probe();
	while (!accept(value) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		value = await probe();
	}
	return value;
}
