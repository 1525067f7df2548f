import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSimulator } from './index.js';

const USAGE = `usage: thalex-quoter sim [options]   (or: npm run sim -- [options])
  --port <n>            default 0 (a free port; the URL is printed)
  --host <addr>         default 127.0.0.1
  --seed <n>            market and taker-flow seed (default 1)
  --key <public.pem>    an API public key to accept (repeatable with --key-id)
  --key-id <id>         its key id (default "sim-key")
  --account <number>    account it logs into (default A000000001)
  --rate <n>            market steps per second per instrument (default 10)
  --instruments <n>     n synthetic instruments instead of the default set
  --message-rate <n>    message_rate granted (default 1000)
  --no-throttle         do not enforce message_rate
  --cert <pem> --tls-key <pem>   serve wss://
  --reject-logins       fault: refuse every login
  --drop-replies <m>    fault: never answer method m ('*' = all)
  --delay-replies <ms>  fault: answer every request ms late
`;

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, key: { type: 'string' },
      'key-id': { type: 'string' }, account: { type: 'string' }, rate: { type: 'string' }, instruments: { type: 'string' },
      'message-rate': { type: 'string' }, 'no-throttle': { type: 'boolean' }, cert: { type: 'string' }, 'tls-key': { type: 'string' },
      'reject-logins': { type: 'boolean' }, 'drop-replies': { type: 'string' }, 'delay-replies': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const keys = values.key !== undefined ? [{ keyId: values['key-id'] ?? 'sim-key', publicKeyPem: readFileSync(values.key, 'utf8'), ...(values.account !== undefined ? { account: values.account } : {}) }] : [];
  const sim = await startSimulator({
    ...(values.host !== undefined ? { host: values.host } : {}),
    port: num(values.port) ?? 0,
    seed: num(values.seed) ?? 1,
    keys,
    stepsPerSecond: num(values.rate) ?? 10,
    ...(values.instruments !== undefined ? { instruments: Number(values.instruments) } : {}),
    messageRate: num(values['message-rate']) ?? 1000,
    throttle: values['no-throttle'] !== true,
    ...(values.cert !== undefined && values['tls-key'] !== undefined ? { tls: { certFile: values.cert, keyFile: values['tls-key'] } } : {}),
  });
  if (values['reject-logins'] === true) sim.faults.rejectLogins = true;
  if (values['drop-replies'] !== undefined) sim.faults.dropReplies(values['drop-replies']);
  if (values['delay-replies'] !== undefined) sim.faults.delayReplies('*', Number(values['delay-replies']));
  process.stdout.write(`simulator listening on ${sim.url}\n`);
  if (process.send !== undefined) process.send({ url: sim.url, port: sim.port });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('disconnect', resolve);
  });
  await sim.stop();
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e: unknown) => {
    process.stderr.write(`sim: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
