// The queue-mode project: the harness runs the queue-mode package's bundle (test/harness/packages.ts).
process.env.NPL_TEST_PACKAGE = 'queue-mode';
