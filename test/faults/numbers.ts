/**
 * Numbers for the fault, load and Node-RED suites, and for the Node-RED end-to-end test: in a
 * module of their own (re-exported by support.ts), so that code outside jest can use them
 * without loading n8n.
 */

/** Valid mobile numbers (libphonenumber-js/max) of four countries, `${prefix}${n}` digits. */
const NUMBER_PLANS = [
	{ prefix: '447788', width: 6 }, // GB 07788 xxxxxx
	{ prefix: '4915123', width: 6 }, // DE 01512 3xxxxxx
	{ prefix: '3361', width: 7 }, // FR 06 1x xx xx xx
	{ prefix: '3161', width: 7 }, // NL 06 1xxxxxxx
] as const;

/** The i-th GB mobile number, 447788000000 + i (i < 1,000,000). */
export const gbNumber = (i: number) => `447788${String(i).padStart(6, '0')}`;

export const gbNumbers = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => gbNumber(from + i));

/** The i-th of a mix of GB, DE, FR and NL mobiles; distinct for distinct i < 4,000,000. */
export function mixedNumber(i: number): string {
	const plan = NUMBER_PLANS[i % NUMBER_PLANS.length];
	return plan.prefix + String(Math.floor(i / NUMBER_PLANS.length)).padStart(plan.width, '0');
}
