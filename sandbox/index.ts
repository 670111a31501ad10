/**
 * The sandbox: a local stand-in for the Number Portability Lookup HLR HTTP API (v3.31).
 * See sandbox/README.md for every behaviour.
 */
export { startSandbox, splitNumbers, type Sandbox } from './server';
export {
	DEFAULT_OPTIONS,
	DEMO_ACCOUNT,
	resolveOptions,
	type BalanceFormat,
	type SandboxOptions,
	type SandboxOptionsInput,
} from './options';
export type { SandboxAccount } from './accounts';
export { Ledger, type LedgerEntry } from './ledger';
export type { ConnectionStats } from './connections';
export type { RequestKind, RequestOutcome, RequestRecord } from './requests';
export {
	DEFAULT_FAULTS,
	MALFORMED_KINDS,
	planFaults,
	type DropFault,
	type FaultName,
	type FaultOptions,
	type FaultPlan,
	type HttpErrorFault,
	type MalformedFault,
	type MalformedKind,
	type RateLimitFault,
	type SlowHeadersFault,
} from './faults';
export { DEFAULT_LATENCY, requestDelayMs, type LatencyOptions } from './latency';
export { TEXT_ERRORS, type TextErrorName, type TextErrorStatus } from './textErrors';
export {
	ERROR_CODES,
	ERROR_TEXTS,
	GENERATED_ERROR_WEIGHTS,
	flagsForErrorCode,
	type Flag,
	type MetaFlags,
	type ReachableFlag,
} from './errorCodes';
export {
	TEST_NUMBERS,
	TEST_NUMBER_BLOCK,
	TEST_NUMBER_CODES,
	testNumberSpec,
	type GsmTestNumberSpec,
	type NanpTestNumberSpec,
	type TestNumberKey,
	type TestNumberSpec,
} from './testNumbers';
export {
	lookupSubscriber,
	normaliseEntry,
	type GeneratorSettings,
	type GsmSubscriber,
	type NanpSubscriber,
	type Subscriber,
} from './subscribers';
export {
	COUNTRIES,
	FALLBACK_NETWORKS,
	NANP_CARRIERS,
	type CountryProfile,
	type MobileNetwork,
} from './networks';
export { lookupCost } from './lookup';
