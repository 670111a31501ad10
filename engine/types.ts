/**
 * The data the engine moves, from raw input to routed results.
 * Field names are the service's own (reference v3.31), so users can read the API docs beside them.
 */

/** `reachable` and `validnumber` are computed by the service and may be unknown. */
export type TriState = true | false | 'undetermined';

/** The fields a GSM (worldwide HLR) answer documents. Every field is always present: null when absent. */
export interface GsmLookupFields {
	countrycode: string | null;
	countryiso: string | null;
	countryname: string | null;
	errorcode: number | null;
	errortext: string | null;
	imsi: string | null;
	landline: boolean | null;
	localformat: string | null;
	mobile: boolean | null;
	mcc: string | null;
	mnc: string | null;
	/** Serving MSC prefix (up to 5 digits); only with `msc=1`, which costs 1.2 credits. */
	msc: string | null;
	msisdn: string | null;
	numbertype: string | null;
	operatorname: string | null;
	originalmcc: string | null;
	originalmnc: string | null;
	originalcarrier: string | null;
	originaloperatorname: string | null;
	plmn: string | null;
	ported: boolean | null;
	reachable: TriState | null;
	timezone: string | null;
	transactioncost: number | null;
	userbalance: number | null;
	validnumber: TriState | null;
}

/** The extra fields a North American (NANP) answer carries. */
export interface NanpLookupFields {
	/** Operating Carrier Number. */
	ocn: string | null;
	carrier: string | null;
	/** Location routing number, for PSTN calls. */
	lrn: string | null;
	/** Service Profile ID. */
	spid: string | null;
}

/** One typed answer: the union of both shapes, so every item has the same keys. */
export type LookupFields = GsmLookupFields & NanpLookupFields;

/** Every documented field name, in the order items show them. */
export const LOOKUP_FIELD_NAMES: ReadonlyArray<keyof LookupFields> = [
	'msisdn',
	'errorcode',
	'errortext',
	'validnumber',
	'reachable',
	'ported',
	'mobile',
	'landline',
	'numbertype',
	'countrycode',
	'countryiso',
	'countryname',
	'localformat',
	'timezone',
	'operatorname',
	'mcc',
	'mnc',
	'plmn',
	'imsi',
	'msc',
	'originalmcc',
	'originalmnc',
	'originalcarrier',
	'originaloperatorname',
	'ocn',
	'carrier',
	'lrn',
	'spid',
	'transactioncost',
	'userbalance',
];

/** One object as the service sent it: values may be strings ("true", "0", "1.00") or JSON-typed. */
export type RawLookupObject = Record<string, unknown>;

/** Why a number produced no service answer. */
export const NOT_LOOKED_UP_REASONS = [
	'invalid_number',
	/** The input held no number at all (a Node-RED message with an empty payload). */
	'no_number',
	'insufficient_credit',
	'credit_cap',
	'invalid_credentials',
	'rate_limited',
	'service_unavailable',
	'network_error',
	'timeout',
	'protocol_error',
	'request_rejected',
	'stopped',
] as const;

export type NotLookedUpReason = (typeof NOT_LOOKED_UP_REASONS)[number];

/** Route names by routing mode; these are the output names a user sees. */
export const VALIDITY_ROUTES = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'] as const;
export const ERROR_GROUP_ROUTES = [
	'Live',
	'Absent',
	'Unknown',
	'Restricted',
	'Temporary',
	'Failed',
] as const;
export const SINGLE_ROUTE = ['Result'] as const;

export type ValidityRoute = (typeof VALIDITY_ROUTES)[number];
export type ErrorGroupRoute = (typeof ERROR_GROUP_ROUTES)[number];
export type RouteName = ValidityRoute | ErrorGroupRoute | (typeof SINGLE_ROUTE)[number];

/** `routeBy`: which family of outputs the node shows. */
export type RouteBy = 'validity' | 'errorGroup' | 'none';

/** The outcome for one normalised number (shared by every input that held it). */
export type NumberOutcome =
	| { lookedUp: true; fields: LookupFields }
	| { lookedUp: false; reason: NotLookedUpReason; detail: string };

/** What a lookup or validate operation puts in each output item's JSON. */
export type LookupItemJson = LookupFields & {
	/** What the input held, as given; null when it held nothing (undefined would vanish from the JSON). */
	input: unknown;
	/** The normalised E.164 digits sent to the service (no '+'), or null when the input was not a number. */
	number: string | null;
	lookedUp: boolean;
	/** Why the number was not looked up; null when it was. */
	reason: NotLookedUpReason | null;
	/** A human sentence for `reason`; null when looked up. */
	reasonText: string | null;
	route: RouteName;
};
