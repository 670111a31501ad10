import type { NotLookedUpReason } from '../types';

/**
 * One sentence per reason a number was not looked up, saying what happened and what to do.
 * A Record (not a switch) so adding a reason to types.ts without a sentence fails to compile.
 */
const REASON_TEXT: Readonly<Record<NotLookedUpReason, string>> = {
	invalid_number:
		'This is not a valid phone number, so it was not sent and no credit was spent; check the number or the Default Country.',
	no_number:
		'The input held no phone number (it was empty), so nothing was sent and no credit was spent; check where the number comes from.',
	insufficient_credit:
		'Your Number Portability Lookup account ran out of credit before this number was looked up; top up and run again.',
	credit_cap:
		"The node's credit cap for this execution was reached before this number was looked up; raise the cap or run again for the rest.",
	invalid_credentials:
		'The service rejected the username or password ("FAIL Invalid password"); fix the Number Portability Lookup API credential and run again.',
	rate_limited:
		'The service kept refusing connections (ERR RATE_LIMIT_EXCEEDED) even after the node slowed down; lower the connections option or stop other clients using this account, then run again.',
	service_unavailable:
		'The service was unavailable (server error) while this number was pending; run again later.',
	network_error:
		'The connection to the service failed while this number was pending; check the network or proxy and run again.',
	timeout:
		'The service did not answer for this number in time; run again, or raise the timeout if this keeps happening.',
	protocol_error:
		'The service sent an answer the node could not read for this number; run again, and report it if it persists.',
	request_rejected:
		'The service rejected the request that held this number; check the node settings and run again.',
	stopped:
		'The execution was stopped (the Stop button, the workflow timeout or a queue-mode stop) before this number was looked up; run again for it.',
};

export function reasonText(reason: NotLookedUpReason): string {
	return REASON_TEXT[reason];
}
