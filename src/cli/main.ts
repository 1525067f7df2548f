#!/usr/bin/env node
import { QuoterError } from '../errors.js';
import { CliError } from './errors.js';
import { keygenCommand } from './keygen.js';
import { runCommand } from './run.js';

const USAGE = `usage: thalex-quoter <command> [options]

commands:
  start                 the quoter on an embedded simulator, with a live status line (npm start)
  run                   the quoter against --network sim|testnet|production or --url
  sim                   the simulator alone (see: thalex-quoter sim --help)
  keygen <path>         write <path>.pem (private, 0600) and <path>.pub.pem (register it with Thalex);
                        keep keys outside any repository, e.g. ~/.thalex/thalex-key
  instruments           the venue's instruments: --network sim|testnet|production or --url,
                        [--underlying BTCUSD] [--type futures|options|future_rolls] [--json]
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
      return keygenCommand(rest);
    case 'run':
      return runCommand(rest, false);
    case 'start':
      return runCommand(rest, true);
    case 'instruments': {
      const { instrumentsCommand } = await import('./instruments.js');
      return instrumentsCommand(rest);
    }
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e instanceof QuoterError ? e : undefined;
    process.stderr.write(`thalex-quoter: ${err !== undefined ? `${err.code}: ${err.message.split('\n')[0]}` : String(e)}\n`);
    process.exit(err !== undefined && (err.code.startsWith('CLI_ERR') || err.code.startsWith('CONFIG_ERR')) ? 2 : 1);
  },
);
