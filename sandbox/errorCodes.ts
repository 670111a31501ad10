/**
 * The per-number error codes of the reference (API v3.31, "List of possible error codes") and the
 * meta flags the sandbox derives from each, following the reference's "Notes on meta flags":
 *
 * - 0: a full IMSI came back: validnumber "true", reachable "true".
 * - 1, 5: the HLR says there is no such subscriber: "false" / "false".
 * - 6, 27 (absent subscriber) and 7, 8, 9, 11, 12, 13, 21, 31, 32, 33: an answer the remote HLR
 *   could only give for one of its own subscribers, so validnumber "true", but the handset cannot
 *   be reached for SMS right now: reachable "false".
 * - 34, 35, 36, 38: an HLR exception, nothing certain: "undetermined" / "undetermined".
 */

export const ERROR_TEXTS: Readonly<Record<number, string>> = Object.freeze({
	0: 'Lookup Complete',
	1: 'Unknown Subscriber',
	5: 'Unidentified Subscriber',
	6: 'Absent Subscriber (SM)',
	7: 'Unknown Equipment',
	8: 'Roaming Not Allowed',
	9: 'Illegal Subscriber',
	11: 'Teleservice Not Provisioned',
	12: 'Illegal Equipment',
	13: 'Call Barred',
	21: 'Facility not Supported',
	27: 'Absent Subscriber',
	31: 'Subscriber Busy for MT SMS',
	32: 'SM Delivery Failure',
	33: 'Message Waiting List Full',
	34: 'Partner System Failure',
	35: 'Data Missing or Unroutable',
	36: 'Lookup Failure',
	38: 'Rejected',
});

/** Every per-number code of the reference, ascending. */
export const ERROR_CODES: readonly number[] = Object.freeze(
	Object.keys(ERROR_TEXTS)
		.map(Number)
		.sort((a, b) => a - b),
);

export type Flag = 'true' | 'false' | 'undetermined';
/** Public clients also compare `reachable` with "not_sms_capable" (see TEST_NUMBERS.notSmsCapable). */
export type ReachableFlag = Flag | 'not_sms_capable';

export interface MetaFlags {
	validnumber: Flag;
	reachable: ReachableFlag;
}

const UNKNOWN = new Set([1, 5]);
const HLR_EXCEPTION = new Set([34, 35, 36, 38]);

/** The validnumber / reachable flags the sandbox sends with an error code. */
export function flagsForErrorCode(code: number): MetaFlags {
	if (!(code in ERROR_TEXTS)) throw new RangeError(`unknown error code ${code}`);
	if (code === 0) return { validnumber: 'true', reachable: 'true' };
	if (UNKNOWN.has(code)) return { validnumber: 'false', reachable: 'false' };
	if (HLR_EXCEPTION.has(code)) return { validnumber: 'undetermined', reachable: 'undetermined' };
	return { validnumber: 'true', reachable: 'false' };
}

/**
 * How the generator spreads non-zero codes over ordinary numbers (weights out of 100), once the
 * seeded draw has decided that a number gets an error at all (`errorShare`).
 */
export const GENERATED_ERROR_WEIGHTS: ReadonlyArray<readonly [code: number, weight: number]> =
	Object.freeze([
		[6, 30],
		[1, 20],
		[27, 10],
		[13, 6],
		[36, 6],
		[31, 4],
		[32, 4],
		[34, 4],
		[5, 3],
		[11, 3],
		[35, 3],
		[7, 1],
		[8, 1],
		[9, 1],
		[12, 1],
		[21, 1],
		[33, 1],
		[38, 1],
	] as const);

/** Maps a draw in [0, 1) to a code through GENERATED_ERROR_WEIGHTS. */
export function weightedErrorCode(draw: number): number {
	const total = GENERATED_ERROR_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
	let point = draw * total;
	for (const [code, weight] of GENERATED_ERROR_WEIGHTS) {
		if (point < weight) return code;
		point -= weight;
	}
	return GENERATED_ERROR_WEIGHTS[GENERATED_ERROR_WEIGHTS.length - 1][0];
}
