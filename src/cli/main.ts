#!/usr/bin/env node
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fileURLToPath } from 'node:url';

type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;
import { Engine } from '../engine/engine.js';
import { QuoterError } from '../errors.js';
import { validateToken } from '../monitor/token.js';
import { CliError } from './errors.js';
import { generateKeyFiles } from './keygen.js';
import { createLogger, flushLogger } from './logger.js';
import { resolveRunConfig, type EmbeddedSim, type RunFlags } from './run-config.js';
import { statusLine } from './status-line.js';
import { describeInstrumentEntries } from '../engine/instrument-selector.js';

const USAGE = `usage: thalex-quoter <command> [options]

commands:
  start                 the quoter on an embedded simulator, with a live status line (npm start)
  run                   the quoter against --network sim|testnet|production or --url
  sim                   the simulator alone (see: thalex-quoter sim --help)
  keygen <path>         write <path>.pem (private, 0600) and <path>.pub.pem (register it with Thalex)
  bench                 same as npm run bench

run options:
  --config <file.json>  engine config (see README); flags and environment override it
  --network <name>      sim | testnet | production
  --url <ws(s)://…>     any endpoint (a proxy, a simulator elsewhere)
  --key-id <id>         or THALEX_KEY_ID
  --pem <path>          or THALEX_PEM_PATH
  --account <number>    or THALEX_ACCOUNT
  --instruments a,b     instruments to quote
  --options             a BTC option chain on the simulator, quoted with examples/options-sim.json
                        (unless --config names another config)
  --confirm-production  required for --network production
  --monitor-port <n>    serve the monitor on 127.0.0.1:<n> (0 = any free port)
  --monitor-token <t>   kill-switch bearer token (or THALEX_MONITOR_TOKEN; default: generated, printed once)
  --no-monitor          do not serve the monitor (start serves it by default)
  --log-level <level>   trace | debug | info | warn | error | silent

signals: SIGINT/SIGTERM cancel all quotes and exit; SIGUSR1 kill switch (cancel all, halt); SIGUSR2 resume
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'keygen':
      return keygen(rest);
    case 'run':
      return run(rest, false);
    case 'start':
      return run(rest, true);
    case 'sim': {
      const sim = (await import('../sim/main.js')) as { main(argv: string[]): Promise<number> };
      return sim.main(rest);
    }
    case 'bench': {
      const { spawnSync } = await import('node:child_process');
      return spawnSync('npm', ['run', 'bench', '--', ...rest], { stdio: 'inherit' }).status ?? 1;
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new CliError('CLI_ERR_USAGE', `unknown command "${command}" (try --help)`);
  }
}

function keygen(args: string[]): number {
  const { positionals, values } = parseFlags({ args, allowPositionals: true, options: { bits: { type: 'string' } } });
  const base = positionals[0];
  if (base === undefined) throw new CliError('CLI_ERR_USAGE', 'keygen needs a path: thalex-quoter keygen ./thalex-key');
  const bits = values.bits === undefined ? 2048 : Number(values.bits);
  if (!Number.isInteger(bits) || bits < 2048) throw new CliError('CLI_ERR_USAGE', '--bits must be an integer ≥ 2048');
  const r = generateKeyFiles(base, bits);
  process.stdout.write(`private key: ${r.privateKeyPath} (keep it secret)\npublic key:  ${r.publicKeyPath} (register it with Thalex or pass it to the simulator)\n`);
  return 0;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** node:util parseArgs, its errors (unknown flag, missing value) as usage errors: exit 2. */
function parseFlags<T extends ParseArgsConfig>(config: T): ParsedResults<T> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new CliError('CLI_ERR_USAGE', `${(e as Error).message.split('\n')[0]} (try --help)`);
  }
}

async function run(args: string[], embedded: boolean): Promise<number> {
  const { values } = parseFlags({
    args,
    options: {
      config: { type: 'string' },
      network: { type: 'string' },
      url: { type: 'string' },
      'key-id': { type: 'string' },
      pem: { type: 'string' },
      account: { type: 'string' },
      instruments: { type: 'string' },
      'confirm-production': { type: 'boolean' },
      'monitor-port': { type: 'string' },
      'monitor-token': { type: 'string' },
      'log-level': { type: 'string' },
      'no-monitor': { type: 'boolean' },
      options: { type: 'boolean' },
    },
  });
  const flags: RunFlags = {};
  if (values.config !== undefined) flags.config = values.config;
  if (values.network !== undefined) flags.network = values.network;
  if (values.url !== undefined) flags.url = values.url;
  if (values['key-id'] !== undefined) flags.keyId = values['key-id'];
  if (values.pem !== undefined) flags.pem = values.pem;
  if (values.account !== undefined) flags.account = values.account;
  if (values.instruments !== undefined) flags.instruments = values.instruments;
  if (values['confirm-production'] !== undefined) flags.confirmProduction = values['confirm-production'];
  const level = (values['log-level'] ?? (embedded ? 'warn' : 'info')) as 'info';
  if (!LOG_LEVELS.includes(level)) throw new CliError('CLI_ERR_USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  const monitorPortText = values['monitor-port'];
  const monitorPort = monitorPortText === undefined ? 0 : Number(monitorPortText);
  if (!/^\d+$/.test(monitorPortText ?? '0') || monitorPort > 65535) {
    throw new CliError('CLI_ERR_USAGE', `--monitor-port must be an integer 0-65535 (got "${monitorPortText}")`);
  }
  // The kill-switch token: configured (flag, then THALEX_MONITOR_TOKEN) or generated by the monitor.
  const monitorToken = values['monitor-token'] ?? (process.env['THALEX_MONITOR_TOKEN'] || undefined);
  if (monitorToken !== undefined) {
    try {
      validateToken(monitorToken);
    } catch (e) {
      throw new CliError('CLI_ERR_USAGE', `--monitor-token (or THALEX_MONITOR_TOKEN): ${(e as Error).message}`);
    }
  }

  let sim: { url: string; stop(): Promise<void> } | undefined;
  let embeddedSim: EmbeddedSim | undefined;
  if (embedded || flags.network === 'sim') {
    if (flags.url === undefined) {
      // A throwaway key, registered with an in-process simulator: no account needed.
      const dir = mkdtempSync(join(tmpdir(), 'thalex-quoter-'));
      const keys = generateKeyFiles(join(dir, 'sim-key'));
      const { readFileSync } = await import('node:fs');
      const simMod = (await import('../sim/index.js')) as unknown as {
        startSimulator(o: object): Promise<{ url: string; stop(): Promise<void> }>;
      };
      const options = values.options === true;
      sim = await simMod.startSimulator({
        keys: [{ keyId: 'sim-key', publicKeyPem: readFileSync(keys.publicKeyPath, 'utf8') }],
        throttle: false,
        ...(options ? { optionChain: true } : {}),
      });
      embeddedSim = { url: sim.url, keyId: 'sim-key', pemPath: keys.privateKeyPath };
      flags.network ??= 'sim';
      if (options) flags.config ??= fileURLToPath(new URL('../../examples/options-sim.json', import.meta.url));
      else if (flags.config === undefined) flags.instruments ??= 'BTC-PERPETUAL,ETH-PERPETUAL';
    }
  }
  const resolved = resolveRunConfig(flags, process.env, embeddedSim);
  const log = createLogger({ level });
  for (const w of resolved.warnings) log.warn(w);
  const engine = new Engine(resolved.config, { logger: log });
  engine.on('engineError', () => {}); // logged by the engine; listening keeps node:events quiet

  let monitor: { url: string; token: string; close(): Promise<void> } | undefined;
  if (values['no-monitor'] !== true && (embedded || values['monitor-port'] !== undefined)) {
    const { startMonitor } = await import('../monitor/index.js');
    monitor = (await startMonitor(engine, { port: monitorPort, ...(monitorToken !== undefined ? { token: monitorToken } : {}) })) as typeof monitor;
  }

  let stopping: Promise<number> | undefined;
  const shutdown = (why: string): Promise<number> => {
    stopping ??= (async () => {
      log.info({ why }, 'shutting down: cancelling all quotes');
      clearInterval(status);
      if (process.stdout.isTTY) process.stdout.write('\n');
      let code = 0;
      try {
        await engine.stop();
      } catch (e) {
        log.error({ err: e }, 'stop failed');
        code = 1;
      }
      await monitor?.close();
      await sim?.stop();
      await flushLogger(log);
      return code;
    })();
    return stopping;
  };
  // Kill switch by signal (for scripts and operators without the monitor): SIGUSR1 cancels every
  // quote, waits for the venue's confirmation and halts; SIGUSR2 resumes.
  process.on('SIGUSR1', () => {
    log.warn('SIGUSR1: kill switch');
    engine.kill().then(
      () => log.warn('kill switch: all quotes cancelled, quoting halted until SIGUSR2'),
      (e: unknown) => log.error({ err: e }, 'kill switch: cancel not confirmed; connection dropped so cancel-on-disconnect pulls the quotes'),
    );
  });
  process.on('SIGUSR2', () => {
    log.warn('SIGUSR2: resuming');
    engine.resume();
  });
  const done = new Promise<number>((resolve) => {
    process.once('SIGINT', () => void shutdown('SIGINT').then(resolve));
    process.once('SIGTERM', () => void shutdown('SIGTERM').then(resolve));
  });

  let lastQuotes = 0;
  let lastAt = Date.now();
  const status = setInterval(() => {
    const m = engine.metrics();
    const now = Date.now();
    const qps = ((m.quotesSent - lastQuotes) * 1000) / Math.max(1, now - lastAt);
    lastQuotes = m.quotesSent;
    lastAt = now;
    const line = statusLine({ metrics: m, positions: engine.positions(), protection: engine.protectionStates(), quotesPerSec: qps });
    if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
    else process.stdout.write(`${line}\n`);
  }, 1000);

  try {
    await engine.start();
  } catch (e) {
    await shutdown('start failed');
    throw e;
  }
  process.stdout.write(`quoting ${describeInstrumentEntries(resolved.config.instruments)} on ${resolved.network} (${resolved.config.url})\n`);
  if (monitor !== undefined) {
    // A configured token is the operator's secret already: never echo it. A generated one is shown once.
    const shown = monitorToken !== undefined ? 'the configured --monitor-token' : `printed once: ${monitor.token}`;
    process.stdout.write(`monitor: ${monitor.url}  (kill switch: curl -X POST -H 'Authorization: Bearer <token>' ${monitor.url}kill; token ${shown})\n`);
  }
  process.stdout.write('Ctrl+C cancels all quotes and exits.\n');
  return done;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e instanceof QuoterError ? e : undefined;
    process.stderr.write(`thalex-quoter: ${err !== undefined ? `${err.code}: ${err.message.split('\n')[0]}` : String(e)}\n`);
    process.exit(err !== undefined && (err.code.startsWith('CLI_ERR') || err.code.startsWith('CONFIG_ERR')) ? 2 : 1);
  },
);
