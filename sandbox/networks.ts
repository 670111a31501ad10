/**
 * The sandbox's map of the world: for each covered country its mobile networks (real MCC/MNC
 * pairs and operator names), the operator it names for fixed lines, and a time zone; for NANP
 * (+1) the carriers with their OCNs. The data is real-looking, not authoritative.
 */

export interface MobileNetwork {
	readonly mcc: string;
	readonly mnc: string;
	readonly name: string;
}

export interface CountryProfile {
	readonly iso: string;
	readonly name: string;
	readonly callingCode: string;
	readonly timezone: string;
	/** At least two, so that ported numbers have somewhere to move. */
	readonly mobile: readonly MobileNetwork[];
	readonly fixedOperator: string;
}

function country(
	iso: string,
	name: string,
	callingCode: string,
	timezone: string,
	fixedOperator: string,
	mobile: Array<[mcc: string, mnc: string, name: string]>,
): CountryProfile {
	return {
		iso,
		name,
		callingCode,
		timezone,
		fixedOperator,
		mobile: mobile.map(([mcc, mnc, operator]) => ({ mcc, mnc, name: operator })),
	};
}

export const COUNTRIES: Readonly<Record<string, CountryProfile>> = Object.freeze({
	GB: country('GB', 'United Kingdom', '44', 'Europe/London', 'BT', [
		['234', '10', 'O2 UK'],
		['234', '15', 'Vodafone UK'],
		['234', '20', 'Three UK'],
		['234', '30', 'EE'],
	]),
	DE: country('DE', 'Germany', '49', 'Europe/Berlin', 'Deutsche Telekom', [
		['262', '01', 'Telekom Deutschland'],
		['262', '02', 'Vodafone Germany'],
		['262', '03', 'Telefonica Germany (O2)'],
		['262', '23', '1&1 Mobilfunk'],
	]),
	FR: country('FR', 'France', '33', 'Europe/Paris', 'Orange France', [
		['208', '01', 'Orange France'],
		['208', '10', 'SFR'],
		['208', '15', 'Free Mobile'],
		['208', '20', 'Bouygues Telecom'],
	]),
	NL: country('NL', 'Netherlands', '31', 'Europe/Amsterdam', 'KPN', [
		['204', '04', 'Vodafone Netherlands'],
		['204', '08', 'KPN'],
		['204', '16', 'Odido'],
	]),
	ES: country('ES', 'Spain', '34', 'Europe/Madrid', 'Telefonica de Espana', [
		['214', '01', 'Vodafone Spain'],
		['214', '03', 'Orange Spain'],
		['214', '04', 'Yoigo'],
		['214', '07', 'Movistar'],
	]),
	IT: country('IT', 'Italy', '39', 'Europe/Rome', 'TIM', [
		['222', '01', 'TIM'],
		['222', '10', 'Vodafone Italy'],
		['222', '50', 'Iliad Italia'],
		['222', '88', 'WindTre'],
	]),
	AU: country('AU', 'Australia', '61', 'Australia/Sydney', 'Telstra', [
		['505', '01', 'Telstra'],
		['505', '02', 'Optus'],
		['505', '03', 'Vodafone Australia'],
	]),
	IN: country('IN', 'India', '91', 'Asia/Kolkata', 'BSNL', [
		['404', '10', 'Airtel'],
		['404', '20', 'Vodafone Idea'],
		['404', '34', 'BSNL Mobile'],
		['405', '857', 'Reliance Jio'],
	]),
	ZA: country('ZA', 'South Africa', '27', 'Africa/Johannesburg', 'Telkom', [
		['655', '01', 'Vodacom'],
		['655', '02', 'Telkom Mobile'],
		['655', '07', 'Cell C'],
		['655', '10', 'MTN'],
	]),
	BR: country('BR', 'Brazil', '55', 'America/Sao_Paulo', 'Oi', [
		['724', '02', 'TIM Brasil'],
		['724', '05', 'Claro'],
		['724', '06', 'Vivo'],
		['724', '31', 'Oi'],
	]),
	IE: country('IE', 'Ireland', '353', 'Europe/Dublin', 'eir', [
		['272', '01', 'Vodafone Ireland'],
		['272', '03', 'eir Mobile'],
		['272', '05', 'Three Ireland'],
	]),
});

/**
 * Countries outside COUNTRIES still answer, from the ITU test network (MCC 001), so that made-up
 * data is visible as such. Their time zone is an empty string.
 */
export const FALLBACK_NETWORKS: readonly MobileNetwork[] = Object.freeze([
	{ mcc: '001', mnc: '01', name: 'Sandbox Mobile A' },
	{ mcc: '001', mnc: '02', name: 'Sandbox Mobile B' },
]);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The profile of a country: from COUNTRIES, or a fallback built on the test network. */
export function countryProfile(iso: string, callingCode: string): CountryProfile {
	const known = COUNTRIES[iso];
	if (known) return known;
	let name = iso;
	try {
		name = regionNames.of(iso) ?? iso;
	} catch {
		// not a region code Intl knows: keep the code
	}
	return {
		iso,
		name,
		callingCode,
		timezone: '',
		fixedOperator: '',
		mobile: FALLBACK_NETWORKS,
	};
}

/** The covered country that owns a calling code, when one does (for numbers too broken to place). */
export function countryForCallingCode(callingCode: string): CountryProfile | undefined {
	return Object.values(COUNTRIES).find((profile) => profile.callingCode === callingCode);
}

export type NanpNumberType =
	| 'MOBILE'
	| 'PCS'
	| 'WIRELESS'
	| 'LANDLINE'
	| 'CLEC'
	| 'RBOC'
	| 'TOLLFREE';

export interface NanpCarrier {
	readonly ocn: string;
	readonly name: string;
	readonly numbertype: NanpNumberType;
	readonly mobile: boolean;
}

function carrier(ocn: string, name: string, numbertype: NanpNumberType): NanpCarrier {
	return { ocn, name, numbertype, mobile: ['MOBILE', 'PCS', 'WIRELESS'].includes(numbertype) };
}

export const NANP_CARRIERS: Readonly<Record<'US' | 'CA', readonly NanpCarrier[]>> = Object.freeze({
	US: [
		carrier('6006', 'Verizon Wireless', 'WIRELESS'),
		carrier('6529', 'T-Mobile USA', 'PCS'),
		carrier('6214', 'AT&T Mobility', 'WIRELESS'),
		carrier('6383', 'US Cellular', 'MOBILE'),
		carrier('9208', 'Verizon New Jersey', 'RBOC'),
		carrier('981E', 'Bandwidth.com CLEC', 'CLEC'),
		carrier('9417', 'AT&T Southeast', 'LANDLINE'),
	],
	CA: [
		carrier('8821', 'Rogers Communications', 'WIRELESS'),
		carrier('8051', 'Bell Mobility', 'WIRELESS'),
		carrier('8161', 'TELUS Mobility', 'PCS'),
		carrier('8082', 'Bell Canada', 'LANDLINE'),
		carrier('8332', 'Cogeco Connexion', 'CLEC'),
	],
});
