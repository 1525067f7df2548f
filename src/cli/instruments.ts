import type { InstrumentsFilter } from '../protocol/enums.js';
import type { Instrument } from '../protocol/instrument.js';
import { Method } from '../protocol/methods.js';
import type { InstrumentsParams } from '../protocol/rpc-types.js';
import { request } from '../protocol/request.js';
import { RpcSession } from '../rpc/session.js';
import { WsClient } from '../ws/client.js';
import { CliError } from './errors.js';
import { parseFlags } from './flags.js';
import { NETWORK_URLS } from './run-config.js';

const INSTRUMENT_TYPES: readonly string[] = ['futures', 'options', 'future_rolls'] satisfies InstrumentsFilter[];

/**
 * `thalex-quoter instruments --network sim|testnet|production | --url ws(s)://…`: the venue's
 * `public/instruments` as a table (or `--json`), to pick names for `instruments` in the config.
 * A public call: no key, nothing traded, so production needs no confirmation.
 */
export async function instrumentsCommand(args: string[]): Promise<number> {
  const { values } = parseFlags({
    args,
    options: {
      network: { type: 'string' },
      url: { type: 'string' },
      underlying: { type: 'string' },
      type: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const params: InstrumentsParams = {};
  if (values.underlying !== undefined) params.underlying = values.underlying;
  if (values.type !== undefined) {
    if (!INSTRUMENT_TYPES.includes(values.type)) throw new CliError('CLI_ERR_USAGE', `--type must be one of ${INSTRUMENT_TYPES.join(', ')} (got "${values.type}")`);
    params.instrument_type = values.type as InstrumentsFilter;
  }
  let url = values.url;
  let sim: { url: string; stop(): Promise<void> } | undefined;
  if (url === undefined) {
    const network = values.network;
    if (network === 'testnet' || network === 'production') url = NETWORK_URLS[network];
    else if (network === 'sim') {
      // The embedded simulator's instruments (what `start` and `run --network sim` quote).
      const { startSimulator } = await import('../sim/index.js');
      sim = await startSimulator({ stepsPerSecond: 0 });
      url = sim.url;
    } else {
      throw new CliError('CLI_ERR_USAGE', network === undefined ? 'instruments needs --network sim|testnet|production or --url ws(s)://…' : `--network must be sim, testnet or production (got "${network}")`);
    }
  }
  try {
    const list = await fetchInstruments(url, params);
    process.stdout.write(values.json === true ? `${JSON.stringify(list, null, 2)}\n` : formatTable(list));
    return 0;
  } finally {
    await sim?.stop();
  }
}

/** One connection, one `public/instruments` call, closed again. Errors keep their codes (WS_ERR_*, RPC_ERR_*, PROTO_ERR_VENUE). */
export async function fetchInstruments(url: string, params: InstrumentsParams = {}): Promise<Instrument[]> {
  const rpc = new RpcSession({ timeoutMs: 10_000 });
  // An instrument list with every option series is megabytes: room for it in one message.
  const ws = new WsClient({ url, pingIntervalMs: 0, idleTimeoutMs: 0, maxMessageBytes: 64 * 1024 * 1024 }, {
    onOpen: () => {},
    onMessage: (d, s, e) => rpc.handleMessage(d, s, e),
    onClose: () => rpc.detach('closed'),
  });
  try {
    await ws.connect();
    rpc.attach({ sendText: (t) => ws.sendText(t) });
    const result = await request(rpc, Method.Instruments, params);
    return Array.isArray(result) ? result : [];
  } finally {
    rpc.dispose();
    ws.destroy();
  }
}

function formatTable(list: Instrument[]): string {
  const rows = [...list]
    .sort((a, b) => (a.instrument_name ?? '').localeCompare(b.instrument_name ?? ''))
    .map((i) => [i.instrument_name ?? '?', i.type ?? '', i.product ?? '', i.underlying ?? '', String(i.tick_size ?? ''), String(i.volume_tick_size ?? ''), String(i.min_order_amount ?? ''), i.expiry_date ?? '']);
  const head = ['instrument', 'type', 'product', 'underlying', 'tick', 'amount step', 'min amount', 'expiry'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => v.padEnd(widths[c]!)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n${rows.length} instrument${rows.length === 1 ? '' : 's'}\n`;
}
