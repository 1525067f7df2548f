/**
 * The V8 flags a production quoter's node runs with (`npm start` passes them; an embedding
 * program passes them on its own node command line: V8 reads them at start-up only, and
 * `v8.setFlagsFromString` from inside the process did not stop the memory reducer, measured).
 *
 * - `--no-memory-reducer`: V8's memory reducer mark-compacts a heap that looks idle (3-15 ms
 *   each, measured). A quoter between tickers looks idle to it.
 * - `--initial-old-space-size=64` (MB): the old generation's first limit. With V8's default the
 *   start-up garbage and the warm-up's compiled code reach the limit once within the first
 *   ~20 s of quoting and cost a mark-compact there (measured, Node 20); with 64 MB there was
 *   none in 60 s of quoting (bench --suite gc), nor in a 120 s run by hand. The heap may grow
 *   larger before its first compaction: memory a desk pays so that no quote waits for one.
 */
export const QUOTER_NODE_FLAGS: readonly string[] = ['--no-memory-reducer', '--initial-old-space-size=64'];
