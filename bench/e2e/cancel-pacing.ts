const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Time for the resumed quote's reply to come in: quote RTT p99.9 here is ~1-3 ms. */
const SETTLE_MS = 3;

/**
 * Between two timed cancels, every client alike: wait (bounded, 2 s) for the first quote after
 * the re-arm, then let its reply come in, so that no cancel trails the resumed quote itself (seen
 * in a diagnostic run: the engine's cancel went out ~0.2-0.4 ms after that quote, before its
 * reply). Quotes on later tickers can still be in flight when a cancel leaves, for every client
 * alike.
 */
export async function untilQuotedAndSettled(quotes: () => number, before: number): Promise<void> {
  for (let w = 0; w < 2000 && quotes() === before; w++) await sleep(1);
  // Said, not hidden: the next cancel is then timed against a client that has not quoted again yet.
  if (quotes() === before) process.stderr.write('bench: no quote within 2 s of resuming after a cancel; the next cancel is timed anyway\n');
  await sleep(SETTLE_MS);
}
