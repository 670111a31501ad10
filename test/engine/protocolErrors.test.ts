import {
	MAX_QUOTED_CHARS,
	ProtocolError,
	quoteBody,
} from '../../engine/protocol/errors';

describe('quoteBody', () => {
	it('quotes short bodies whole, as one JSON string line', () => {
		expect(quoteBody('FAIL Invalid password', [])).toBe('"FAIL Invalid password"');
		expect(quoteBody('a\r\nb\t"c"', [])).toBe('"a\\r\\nb\\t\\"c\\""');
		expect(quoteBody('', [])).toBe('""');
	});

	it('keeps at most 200 characters and says how many were left out', () => {
		const body = 'x'.repeat(1000);
		const quoted = quoteBody(body, []);
		expect(quoted).toBe(`"${'x'.repeat(MAX_QUOTED_CHARS)}"… (800 more characters)`);
		expect(MAX_QUOTED_CHARS).toBe(200);
		expect(quoteBody('y'.repeat(200), [])).toBe(`"${'y'.repeat(200)}"`);
	});

	it('does not cut an emoji in half', () => {
		const quoted = quoteBody('x'.repeat(199) + '📞' + 'z', []);
		expect(quoted).toBe(`"${'x'.repeat(199)}"… (3 more characters)`);
	});

	it('replaces secrets in every form a body may carry them', () => {
		const secret = 'p@ss w&rd"1';
		const body = [
			`raw=${secret}`,
			`uri=${encodeURIComponent(secret)}`,
			`form=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
			`json=${JSON.stringify(secret)}`,
		].join(' ');
		const quoted = quoteBody(body, [secret]);
		expect(quoted).toBe('"raw=*** uri=*** form=*** json=\\"***\\""');
		expect(quoted).not.toContain('w&rd');
		expect(quoted).not.toContain('w%26rd');
	});

	it('replaces every secret given and ignores empty ones', () => {
		expect(quoteBody('user=bob pass=hunter2 hunter2', ['hunter2', '', 'bob'])).toBe(
			'"user=*** pass=*** ***"',
		);
	});

	it('redacts before cutting, so a secret across the 200th character never shows in part', () => {
		const secret = 'TOPSECRETVALUE';
		const body = 'x'.repeat(195) + secret + 'y'.repeat(100);
		const quoted = quoteBody(body, [secret]);
		expect(quoted).not.toMatch(/TOPS/);
		expect(quoted.startsWith(`"${'x'.repeat(195)}***`)).toBe(true);
	});
});

describe('ProtocolError', () => {
	it('is an Error named ProtocolError, with the quoted, redacted body after the problem', () => {
		const error = new ProtocolError('Expected a JSON array', 'pass=hunter2 ' + 'z'.repeat(300), [
			'hunter2',
		]);
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('ProtocolError');
		expect(error.message.startsWith('Expected a JSON array: "pass=*** zzz')).toBe(true);
		expect(error.message).toMatch(/… \(\d+ more characters\)$/);
		expect(error.message).not.toContain('hunter2');
	});

	it('is just the problem when there is no body', () => {
		expect(new ProtocolError('Empty answer').message).toBe('Empty answer');
	});
});
