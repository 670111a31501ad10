import type { GsmSubscriber, NanpSubscriber, Subscriber } from './subscribers';

/** Credits are kept as integer hundredths; this writes them the service's way: "9998.80". */
export function formatCredits(hundredths: number): string {
	return (hundredths / 100).toFixed(2);
}

export type AnswerFormat = 'json' | 'csv';

export interface Charge {
	/** Cost of this lookup, in hundredths (100 or 120). */
	readonly cost: number;
	/** The account's balance after this lookup was charged, in hundredths. */
	readonly balanceAfter: number;
	/** Whether msc=1 was asked for. */
	readonly msc: boolean;
}

function flag(value: boolean): 'true' | 'false' {
	return value ? 'true' : 'false';
}

function sortedKeys(fields: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of Object.keys(fields).sort()) out[key] = fields[key];
	return out;
}

/** The JSON object of a GSM answer: every documented field, every value a string. */
export function gsmObject(sub: GsmSubscriber, charge: Charge): Record<string, string> {
	const fields: Record<string, string> = {
		countrycode: sub.countrycode,
		countryiso: sub.countryiso,
		countryname: sub.countryname,
		errorcode: String(sub.errorcode),
		errortext: sub.errortext,
		imsi: sub.imsi,
		landline: flag(sub.landline),
		localformat: sub.localformat,
		mcc: sub.network?.mcc ?? '',
		mnc: sub.network?.mnc ?? '',
		mobile: flag(sub.mobile),
		msisdn: sub.msisdn,
		numbertype: sub.numbertype,
		operatorname: sub.operatorname,
		// Not ported: the original* fields are present, as empty strings.
		originalcarrier: sub.original?.name ?? '',
		originalmcc: sub.original?.mcc ?? '',
		originalmnc: sub.original?.mnc ?? '',
		originaloperatorname: sub.original?.name ?? '',
		plmn: sub.network ? sub.network.mcc + sub.network.mnc : '',
		ported: flag(sub.ported),
		reachable: sub.reachable,
		timezone: sub.timezone,
		transactioncost: formatCredits(charge.cost),
		userbalance: formatCredits(charge.balanceAfter),
		validnumber: sub.validnumber,
	};
	if (charge.msc) fields.msc = sub.msc;
	return sortedKeys(fields);
}

/**
 * The JSON object of a NANP answer: msisdn, ocn, carrier, numbertype, lrn, spid (only where
 * present), reachable and validnumber "undetermined", transactioncost, userbalance. No errorcode,
 * errortext, msc or country fields: the NANP lookup is not an HLR query.
 */
export function nanpObject(sub: NanpSubscriber, charge: Charge): Record<string, string> {
	const fields: Record<string, string> = {
		carrier: sub.carrier,
		lrn: sub.lrn,
		msisdn: sub.msisdn,
		numbertype: sub.numbertype,
		ocn: sub.ocn,
		reachable: 'undetermined',
		transactioncost: formatCredits(charge.cost),
		userbalance: formatCredits(charge.balanceAfter),
		validnumber: 'undetermined',
	};
	if (sub.spid !== null) fields.spid = sub.spid;
	return sortedKeys(fields);
}

export function answerObject(sub: Subscriber, charge: Charge): Record<string, string> {
	return sub.shape === 'nanp' ? nanpObject(sub, charge) : gsmObject(sub, charge);
}

/**
 * The legacy CSV line `msisdn plmn,imsi,msc` with its newline. plmn and imsi are empty when the
 * HLR gave none (errors, NANP); msc is empty unless msc=1 was asked for and the lookup succeeded.
 */
export function csvLine(sub: Subscriber, charge: Charge): string {
	if (sub.shape === 'nanp') return `${sub.msisdn} ,,\n`;
	const plmn = sub.network ? sub.network.mcc + sub.network.mnc : '';
	return `${sub.msisdn} ${plmn},${sub.imsi},${charge.msc ? sub.msc : ''}\n`;
}
