import { JsonArrayStream } from '../../engine/protocol/jsonArrayStream';
import { ProtocolError } from '../../engine/protocol/errors';
import type { RawLookupObject } from '../../engine/types';

/** A sample answer with what breaks naive parsers: escaped quotes and backslashes, braces and
 * brackets inside strings, nested values, multi-byte UTF-8 (2, 3 and 4 bytes), whitespace. */
const OBJECTS: RawLookupObject[] = [
	{
		msisdn: '447788450450',
		errorcode: '0',
		errortext: 'Lookup Complete',
		operatorname: 'Vodafone "UK" \\ {Ltd} [x]',
		countryname: 'United Kingdom',
		ported: 'false',
	},
	{
		msisdn: '4915112345678',
		operatorname: 'Telekom Deutschland – Müller 📞',
		errorcode: 0,
		nested: { a: [1, { b: '}' }] },
	},
	{
		msisdn: '17044518989',
		ocn: '6214',
		carrier: 'T-Mobile USA, Inc.',
		numbertype: 'MOBILE',
		note: '\\"}]',
	},
];
const SAMPLE = `\n [ ${JSON.stringify(OBJECTS[0], null, 1)},\r\n${JSON.stringify(OBJECTS[1])} ,${JSON.stringify(OBJECTS[2])}\n]\n`;

function readAll(chunks: Array<string | Uint8Array>): {
	objects: RawLookupObject[];
	complete: boolean;
} {
	const stream = new JsonArrayStream();
	const objects: RawLookupObject[] = [];
	for (const chunk of chunks) objects.push(...stream.push(chunk));
	return { objects, complete: stream.end().complete };
}

describe('JsonArrayStream', () => {
	it('reads a whole answer in one chunk', () => {
		expect(readAll([SAMPLE])).toEqual({ objects: OBJECTS, complete: true });
	});

	it('reads the same at every split point of the bytes (inside strings, escapes, multi-byte characters)', () => {
		const bytes = Buffer.from(SAMPLE, 'utf8');
		expect(bytes.length).toBeGreaterThan(SAMPLE.length); // multi-byte characters are present
		for (let cut = 0; cut <= bytes.length; cut++) {
			expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual({
				objects: OBJECTS,
				complete: true,
			});
		}
	});

	it('reads the same at every pair of split points of the text', () => {
		for (let a = 0; a <= SAMPLE.length; a += 3) {
			for (let b = a; b <= SAMPLE.length; b += 5) {
				const result = readAll([SAMPLE.slice(0, a), SAMPLE.slice(a, b), SAMPLE.slice(b)]);
				expect(result.objects).toEqual(OBJECTS);
				expect(result.complete).toBe(true);
			}
		}
	});

	it('reads byte by byte', () => {
		const bytes = Buffer.from(SAMPLE, 'utf8');
		const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
		expect(readAll(chunks)).toEqual({ objects: OBJECTS, complete: true });
	});

	it('hands out each object as soon as its closing brace arrives', () => {
		const stream = new JsonArrayStream();
		const first = JSON.stringify(OBJECTS[0]);
		expect(stream.push('[' + first.slice(0, -1))).toEqual([]);
		expect(stream.push('}')).toEqual([OBJECTS[0]]);
		expect(stream.push(',' + JSON.stringify(OBJECTS[2]))).toEqual([OBJECTS[2]]);
		expect(stream.end()).toEqual({ complete: false });
	});

	it('accepts an empty array', () => {
		expect(readAll(['[]'])).toEqual({ objects: [], complete: true });
		expect(readAll([' [ \n ] \n'])).toEqual({ objects: [], complete: true });
	});

	it('accepts a bare top-level object as one result', () => {
		const body = ` ${JSON.stringify(OBJECTS[1])}\n`;
		expect(readAll([body])).toEqual({ objects: [OBJECTS[1]], complete: true });
		for (let cut = 0; cut <= body.length; cut++) {
			expect(readAll([body.slice(0, cut), body.slice(cut)]).objects).toEqual([OBJECTS[1]]);
		}
	});

	it('tolerates a byte-order mark', () => {
		expect(readAll(['\ufeff[{"a":"1"}]'])).toEqual({ objects: [{ a: '1' }], complete: true });
	});

	it('keeps the objects before a cut and reports the answer incomplete', () => {
		for (let cut = 0; cut < SAMPLE.trimEnd().length; cut++) {
			const result = readAll([SAMPLE.slice(0, cut)]);
			expect(result.complete).toBe(false);
			// Every object returned is a whole one, in order.
			expect(result.objects).toEqual(OBJECTS.slice(0, result.objects.length));
		}
		const afterSecond =
			SAMPLE.indexOf(JSON.stringify(OBJECTS[1])) + JSON.stringify(OBJECTS[1]).length;
		expect(readAll([SAMPLE.slice(0, afterSecond)]).objects).toEqual(OBJECTS.slice(0, 2));
		expect(readAll([SAMPLE.slice(0, afterSecond - 1)]).objects).toEqual(OBJECTS.slice(0, 1));
	});

	it('reports nothing received as incomplete', () => {
		expect(readAll([])).toEqual({ objects: [], complete: false });
		expect(readAll(['  \n'])).toEqual({ objects: [], complete: false });
	});

	it('reports a multi-byte character cut at the end as incomplete, not an error', () => {
		const bytes = Buffer.from('[{"a":"📞"}', 'utf8');
		expect(readAll([bytes.subarray(0, bytes.length - 4)])).toEqual({
			objects: [],
			complete: false,
		});
	});

	it.each([
		['a text error', 'FAIL Insufficient credit', /Expected a JSON array/],
		['an HTML page', '<html><body>502 Bad Gateway</body></html>', /Expected a JSON array/],
		['a string element', '["447788450450"]', /Expected a result object/],
		['a number element', '[{"a":1}, 2]', /Expected a result object/],
		['a nested array element', '[[{"a":1}]]', /Expected a result object/],
		['a trailing comma', '[{"a":1},]', /Expected a result object/],
		['a missing comma', '[{"a":1} {"b":2}]', /Expected "," or "\]"/],
		['text after the end', '[{"a":1}] FAIL', /after the end/],
		['a second top-level value', '{"a":1}{"b":2}', /after the end/],
		['a broken object', '[{"a":1,}]', /not valid JSON/],
		['an unquoted key', '[{a:1}]', /not valid JSON/],
		['mismatched brackets', '[{"a":[1}]]', /not valid JSON/],
		['a raw control character in a string', '[{"a":"x\ny"}]', /not valid JSON/],
	])('throws a ProtocolError on %s', (_name, body, message) => {
		const stream = new JsonArrayStream();
		let error: unknown;
		try {
			// The error comes from push(), or from end() when the chunk also completed objects.
			stream.push(body);
			stream.end();
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(ProtocolError);
		expect((error as Error).name).toBe('ProtocolError');
		expect((error as Error).message).toMatch(message);
	});

	it('keeps the objects before a broken one', () => {
		const stream = new JsonArrayStream();
		expect(stream.push('[{"a":1},')).toEqual([{ a: 1 }]);
		expect(() => stream.push('{"b":}]')).toThrow(ProtocolError);
	});

	it('returns the objects a chunk completed before it broke, then throws on the next call', () => {
		const stream = new JsonArrayStream();
		expect(stream.push('[{"a":1},{"b":2}, 3]')).toEqual([{ a: 1 }, { b: 2 }]);
		expect(() => stream.push(']')).toThrow(/Expected a result object/);
		expect(() => stream.end()).toThrow(ProtocolError);

		const ending = new JsonArrayStream();
		expect(ending.push('[{"a":1}} ')).toEqual([{ a: 1 }]);
		expect(() => ending.end()).toThrow(/Expected "," or "\]"/);
	});

	it('does not put secrets into its error messages', () => {
		const stream = new JsonArrayStream({ secrets: ['s3cr&t'] });
		expect(() => stream.push('<html>user=me&pass=s3cr%26t</html>')).toThrow(
			/^Expected a JSON array of results: "<html>user=me&pass=\*\*\*<\/html>"$/,
		);
	});

	it('refuses an object that never ends rather than buffering without bound', () => {
		const stream = new JsonArrayStream();
		stream.push('[{"a":"');
		const block = 'x'.repeat(100_000);
		expect(() => {
			for (let i = 0; i < 20; i++) stream.push(block);
		}).toThrow(/exceeds/);
	});

	it('refuses push() after end()', () => {
		const stream = new JsonArrayStream();
		stream.end();
		expect(() => stream.push('[]')).toThrow(/after end/);
	});

	it('reads 100k objects in small chunks in one pass', () => {
		const one = JSON.stringify(OBJECTS[0]);
		const body = Buffer.from('[' + Array.from({ length: 100_000 }, () => one).join(',') + ']');
		const stream = new JsonArrayStream();
		let count = 0;
		for (let i = 0; i < body.length; i += 1500)
			count += stream.push(body.subarray(i, i + 1500)).length;
		expect(count).toBe(100_000);
		expect(stream.end().complete).toBe(true);
	});
});
