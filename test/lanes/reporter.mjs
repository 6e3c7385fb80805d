// A node:test reporter for the guests: one marked JSON line per finished test, so the host can pick the
// results out of a console that also carries kernel and boot messages; at the end, how long this Node process
// ran (start-up, loading the bundle and the tests), so the host can tell the tests' time from the boot's.
export default async function* laneReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, details, skip, todo } = event.data;
    // Suites report too; only leaves count, as on the host.
    if (details?.type === 'suite') continue;
    const error = details?.error;
    const cause = error?.cause ?? error;
    const result = {
      name,
      nesting,
      status: skip || todo ? 'skipped' : event.type === 'test:pass' ? 'passed' : 'failed',
      reason: typeof skip === 'string' ? skip : undefined,
      durationMs: details?.duration_ms,
      error: cause ? String(cause.stack ?? cause.message ?? cause) : undefined,
    };
    yield `ISOLAB-LANE-RESULT ${JSON.stringify(result)}\n`;
  }
  yield `ISOLAB-LANE-NODE-SECONDS ${process.uptime().toFixed(1)}\n`;
}
