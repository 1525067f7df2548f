const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Time for the resumed quote's reply to come in: quote RTT p99.9 here is ~1-3 ms. */
const SETTLE_MS = 3;

/**
 * Between two timed cancels, every client alike: wait (bounded, 2 s) for the first quote after
 * the re-arm, then let its reply come in. Without the settle a cancel could leave right behind
 * that quote, and its round trip then held the venue's work on the quote (seen: the engine's
 * cancel went out ~0.4 ms after its quote, before the quote's reply, in about half the rounds).
 */
export async function untilQuotedAndSettled(quotes: () => number, before: number): Promise<void> {
  for (let w = 0; w < 2000 && quotes() === before; w++) await sleep(1);
  await sleep(SETTLE_MS);
}
