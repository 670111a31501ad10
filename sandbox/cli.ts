import { CLI_USAGE, CliUsageError, parseCliArgs } from './cliArgs';
import { startSandbox } from './server';

/** `npm run sandbox -- [flags]`: runs the sandbox until Ctrl-C. */
async function main(): Promise<void> {
	let command;
	try {
		command = parseCliArgs(process.argv.slice(2));
	} catch (error) {
		// CliUsageError explains itself; anything else is unexpected, but still ends with code 2.
		console.error(error instanceof CliUsageError ? error.message : `sandbox: ${String(error)}`);
		process.exitCode = 2;
		return;
	}
	if (command.help) {
		console.log(CLI_USAGE);
		return;
	}
	const log = command.quiet ? null : (line: string) => console.log(line);
	const sandbox = await startSandbox({ ...command.options, log });
	const { options } = sandbox;
	console.log(`Number Portability Lookup sandbox listening on ${sandbox.url}`);
	for (const account of options.accounts) {
		console.log(`  account: user=${account.user} pass=${account.pass} credit=${account.credit}`);
	}
	console.log(
		`  limits: ${options.maxPerRequest} numbers per request, ${options.maxConnections} connections per account;` +
			` ${options.streaming ? 'streaming' : 'buffered'}; seed ${options.seed}`,
	);
	if (options.admin)
		console.log(`  admin: ${sandbox.origin}/__admin/ledger (also requests, connections, accounts)`);
	console.log(
		`  try: curl -d 'user=${options.accounts[0].user}&pass=${options.accounts[0].pass}&format=json&msisdn=447400900000,447400900006' ${sandbox.url}`,
	);
	console.log('Ctrl-C stops.');

	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		console.log('sandbox: stopping');
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
