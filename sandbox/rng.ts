/**
 * Seeded, stateless randomness. Every random choice the sandbox makes is a pure function of the
 * seed and a few labels (the number, the request sequence, the fault name...), so the same seed
 * and the same traffic give the same answers, run after run.
 */

/** 32-bit hash (FNV-1a, finished with the murmur3 mixer) of the parts, joined unambiguously. */
export function hash32(...parts: ReadonlyArray<string | number>): number {
	const text = parts.join('\u0000');
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A number in [0, 1) decided by the parts. */
export function unitFrom(...parts: ReadonlyArray<string | number>): number {
	return hash32(...parts) / 2 ** 32;
}

/** One of the items, decided by the parts. */
export function pickFrom<T>(items: readonly T[], ...parts: ReadonlyArray<string | number>): T {
	if (items.length === 0) throw new RangeError('pickFrom: no items');
	return items[hash32(...parts) % items.length];
}

/** mulberry32: a small PRNG for streams of draws (digits of an IMSI, for example). */
export function seededStream(...parts: ReadonlyArray<string | number>): () => number {
	let state = hash32(...parts);
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

/** `count` decimal digits decided by the parts. */
export function digitsFrom(count: number, ...parts: ReadonlyArray<string | number>): string {
	const next = seededStream(...parts);
	let out = '';
	for (let i = 0; i < count; i++) out += String(Math.floor(next() * 10));
	return out;
}
