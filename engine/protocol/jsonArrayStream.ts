import type { RawLookupObject } from '../types';
import { ProtocolError } from './errors';

/**
 * Reads the service's JSON answer while it streams: a top-level array of objects, one per
 * number, which a later API revision sends "as they become available". Each object is handed
 * out the moment its closing brace arrives, so a result already received is kept (and never
 * paid for twice) even if the connection breaks afterwards.
 *
 * Only the top level is tracked here (array, commas, object boundaries, strings and escapes so
 * braces inside text do not count); each object's own text is checked by JSON.parse. Every
 * character is looked at at most twice (strings are skipped with indexOf, then backslashes before
 * a quote counted) and every object's text is joined once, so the work is O(n) however the
 * answer is chunked. A bare top-level object `{...}` is accepted as one result.
 */

const enum State {
	/** Nothing but whitespace yet. */
	Start,
	/** After `[`: an object or `]`. */
	ArrayOpen,
	/** After `,`: an object must follow. */
	ExpectObject,
	/** Inside an object (tracking nesting, strings, escapes). */
	InObject,
	/** After an object inside the array: `,` or `]`. */
	AfterObject,
	/** The top-level value is complete; only whitespace may follow. */
	Done,
}

/** One lookup object is about a kilobyte; a megabyte without a closing brace is not an answer. */
const MAX_OBJECT_CHARS = 1_000_000;

/** How much of the stream is remembered for error messages. */
const HEAD_CHARS = 200;

export interface JsonArrayStreamOptions {
	/** Values (the password) that must never appear in an error message. */
	secrets?: readonly string[];
}

/** The index of the `"` that closes a string whose text starts at `from`; -1 if not in `text`. */
function closingQuote(text: string, from: number): number {
	for (let quote = text.indexOf('"', from); quote !== -1; quote = text.indexOf('"', quote + 1)) {
		// Escaped when an odd number of backslashes comes right before it.
		let backslashes = 0;
		while (quote - backslashes - 1 >= from && text.charCodeAt(quote - backslashes - 1) === 0x5c) {
			backslashes++;
		}
		if (backslashes % 2 === 0) return quote;
	}
	return -1;
}

export class JsonArrayStream {
	private state = State.Start;

	/** Holds a character split across two chunks until its last byte arrives. */
	private readonly decoder = new TextDecoder('utf-8');

	private readonly secrets: readonly string[];

	/** Text of the current object from earlier chunks; joined once when it closes. */
	private parts: string[] = [];

	private partsLength = 0;

	/** Nesting depth inside the current object (1 = its own braces). */
	private depth = 0;

	private inString = false;

	private escaped = false;

	/** Whether the top level was a bare object rather than an array. */
	private bareObject = false;

	/** The first characters of the stream, for messages when it is not JSON at all. */
	private head = '';

	private ended = false;

	/** A broken answer found after some objects were completed in the same chunk. */
	private failure: Error | null = null;

	constructor(options: JsonArrayStreamOptions = {}) {
		this.secrets = options.secrets ?? [];
	}

	/**
	 * Feeds the next chunk; returns the objects completed by it, in order. Throws ProtocolError
	 * when the answer is broken, but never at the cost of objects already whole: if a chunk
	 * completes objects and then breaks, they are returned and the next push() or end() throws.
	 */
	push(chunk: string | Uint8Array): RawLookupObject[] {
		if (this.ended) throw new Error('JsonArrayStream: push() after end()');
		if (this.failure) throw this.failure;
		const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
		return this.scanKeepingResults(text);
	}

	/**
	 * Ends the stream. `complete` is true when the closing `]` (or the bare object's `}`) was
	 * seen: false means the answer was cut, and the objects already returned are all there is.
	 * Throws the ProtocolError a previous push() held back, if any.
	 */
	end(): { complete: boolean } {
		if (!this.ended) {
			this.ended = true;
			const rest = this.failure ? '' : this.decoder.decode();
			if (rest) this.scanKeepingResults(rest);
			this.parts = [];
		}
		if (this.failure) throw this.failure;
		return { complete: this.state === State.Done };
	}

	private scanKeepingResults(text: string): RawLookupObject[] {
		const out: RawLookupObject[] = [];
		try {
			this.scan(text, out);
		} catch (error) {
			if (out.length === 0) throw error;
			this.failure = error as Error;
		}
		return out;
	}

	private scan(text: string, out: RawLookupObject[]): void {
		if (this.head.length < HEAD_CHARS) this.head += text.slice(0, HEAD_CHARS - this.head.length);
		const n = text.length;
		/** Where the current object starts in this chunk (0 when it began in an earlier one). */
		let objectStart = 0;
		let i = 0;
		while (i < n) {
			if (this.state === State.InObject) {
				// Tight loop over the object's text; leaves at its closing brace or the chunk's end.
				let depth = this.depth;
				let inString = this.inString;
				let escaped = this.escaped;
				for (; i < n; i++) {
					const c = text.charCodeAt(i);
					if (inString) {
						if (escaped) escaped = false;
						else if (c === 0x5c /* \ */) escaped = true;
						else if (c === 0x22 /* " */) inString = false;
					} else if (c === 0x22) {
						// Strings are most of an answer: jump to the closing quote when this chunk
						// holds it; otherwise go on character by character into the next chunk.
						const close = closingQuote(text, i + 1);
						if (close === -1) inString = true;
						else i = close;
					} else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth++;
					else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
						depth--;
						if (depth === 0) break;
					}
				}
				this.depth = depth;
				this.inString = inString;
				this.escaped = escaped;
				if (i === n) break;
				i++; // past the closing brace
				out.push(this.finishObject(text.slice(objectStart, i)));
				this.state = this.bareObject ? State.Done : State.AfterObject;
				continue;
			}

			const c = text.charCodeAt(i);
			// JSON whitespace, plus a byte-order mark (some servers send one at the start).
			if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) {
				i++;
				continue;
			}
			switch (this.state) {
				case State.Start:
					if (c === 0x5b) this.state = State.ArrayOpen;
					else if (c === 0x7b) {
						this.bareObject = true;
						objectStart = this.beginObject(i);
					} else this.fail('Expected a JSON array of results', text, i);
					break;
				case State.ArrayOpen:
				case State.ExpectObject:
					if (c === 0x7b) objectStart = this.beginObject(i);
					else if (c === 0x5d && this.state === State.ArrayOpen) this.state = State.Done;
					else this.fail('Expected a result object in the JSON array', text, i);
					break;
				case State.AfterObject:
					if (c === 0x2c /* , */) this.state = State.ExpectObject;
					else if (c === 0x5d) this.state = State.Done;
					else this.fail('Expected "," or "]" after a result object', text, i);
					break;
				case State.Done:
					this.fail('Unexpected text after the end of the JSON answer', text, i);
			}
			i++;
		}
		// An object still open at the chunk's end (even one whose '{' was its last character)
		// continues in the next chunk.
		if (this.state === State.InObject) this.keep(text.slice(objectStart));
	}

	/** Enters an object whose `{` is at `i` (counted here: the scan resumes after it). */
	private beginObject(i: number): number {
		this.state = State.InObject;
		this.depth = 1;
		this.inString = false;
		this.escaped = false;
		this.parts = [];
		this.partsLength = 0;
		return i;
	}

	private keep(fragment: string): void {
		this.parts.push(fragment);
		this.partsLength += fragment.length;
		if (this.partsLength > MAX_OBJECT_CHARS) {
			throw new ProtocolError(
				`A result object in the answer exceeds ${MAX_OBJECT_CHARS} characters`,
				this.parts[0],
				this.secrets,
			);
		}
	}

	private finishObject(lastFragment: string): RawLookupObject {
		let source = lastFragment;
		if (this.parts.length > 0) {
			this.parts.push(lastFragment);
			source = this.parts.join('');
			this.parts = [];
			this.partsLength = 0;
		}
		try {
			return JSON.parse(source) as RawLookupObject;
		} catch {
			throw new ProtocolError(
				'A result object in the answer is not valid JSON',
				source,
				this.secrets,
			);
		}
	}

	private fail(problem: string, text: string, i: number): never {
		// At the very start the head shows best what came back (an HTML page, a text error).
		const quoted =
			this.state === State.Start ? this.head : text.slice(Math.max(0, i - 20), i + 180);
		throw new ProtocolError(problem, quoted, this.secrets);
	}
}
