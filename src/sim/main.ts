import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serverLabel, startSimulator } from './index.js';

const USAGE = `usage: thalex-quoter sim [options]   (or: npm run sim -- [options])
  --port <n>            default 0 (a free port; the URL is printed)
  --host <addr>         default 127.0.0.1
  --seed <n>            market and taker-flow seed (default 1)
  --key <public.pem>    an API public key to accept (repeatable with --key-id)
  --key-id <id>         its key id (default "sim-key")
  --account <number>    account it logs into (default A000000001)
  --rate <n>            market steps per second per instrument (default 10)
  --instruments <n>     n synthetic instruments instead of the default set
  --options             a BTC option chain (3 weekly expiries × 40 strikes × calls and puts)
                        next to the BTC perpetual, marked off a vol surface
  --message-rate <n>    message_rate granted (default 1000)
  --no-throttle         do not enforce message_rate
  --cert <pem> --tls-key <pem>   serve wss://
  --reject-logins       fault: refuse every login
  --drop-replies <m>    fault: never answer method m ('*' = all)
  --delay-replies <ms>  fault: answer every request ms late
  --close-on <m>[:<code>]
                        fault: a request of method m (exact name, e.g. private/mass_quote)
                        closes its connection: with a close frame of <code> (1000-1003,
                        1007-1014, 3000-4999), or abruptly (1006) without one. By default the
                        request is executed and its reply lost. Repeatable.
  --close-count <n|all> how many requests each --close-on closes (default 1)
  --close-before        --close-on drops the request unexecuted instead
  --malformed-json <ms>[:once]
                        fault: every <ms> ms, send each open connection a truncated JSON
                        frame; with :once, only the first time a connection is open
  --malformed-frame <ms>[:once]
                        fault: the same with a text frame that is not UTF-8 (a protocol
                        violation: the client must close with 1007)
  --pause-feed <at>[:<for>]
                        fault: <at> ms after start, stop publishing tickers; resume after
                        <for> ms (omitted: stay paused). --pause-feed 0 = never publish
`;

/** The fault flags, checked before anything listens. */
interface FaultPlan {
  close: Array<{ method: string; code: number | undefined }>;
  closeCount: number;
  closeBefore: boolean;
  malformed: Array<{ kind: 'json' | 'frame'; everyMs: number; once: boolean }>;
  pause: { atMs: number; forMs: number | undefined } | undefined;
}

class UsageError extends Error {}

const whole = (flag: string, v: string, min: number): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag}: ${JSON.stringify(v)} is not a whole number ≥ ${min}`);
  return n;
};

/** A close code an endpoint may send (RFC 6455 §7.4: not 1004-1006 or 1015; 3000-4999 registered and private). */
const sendableCode = (c: number): boolean => Number.isInteger(c) && ((c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999));

function parseFaults(v: { 'close-on'?: string[]; 'close-count'?: string; 'close-before'?: boolean; 'malformed-json'?: string; 'malformed-frame'?: string; 'pause-feed'?: string }): FaultPlan {
  const close = (v['close-on'] ?? []).map((spec) => {
    const m = /^([^:\s]+)(?::(.*))?$/.exec(spec);
    if (m === null) throw new UsageError(`--close-on: ${JSON.stringify(spec)} is not <method>[:<code>]`);
    if (m[2] === undefined) return { method: m[1]!, code: undefined };
    const code = Number(m[2]);
    if (m[2] === '' || !sendableCode(code)) throw new UsageError(`--close-on: ${JSON.stringify(m[2])} is not a close code one may send (1000-1003, 1007-1014, 3000-4999)`);
    return { method: m[1]!, code };
  });
  const cc = v['close-count'];
  const closeCount = cc === undefined ? 1 : cc === 'all' ? Number.POSITIVE_INFINITY : whole('--close-count', cc, 1);
  if ((cc !== undefined || v['close-before'] === true) && close.length === 0) throw new UsageError('--close-count and --close-before need --close-on');
  const malformed: FaultPlan['malformed'] = [];
  for (const kind of ['json', 'frame'] as const) {
    const spec = v[`malformed-${kind}`];
    if (spec === undefined) continue;
    const [every, tail, ...rest] = spec.split(':');
    if ((tail !== undefined && tail !== 'once') || rest.length > 0) throw new UsageError(`--malformed-${kind}: ${JSON.stringify(spec)} is not <ms>[:once]`);
    malformed.push({ kind, everyMs: whole(`--malformed-${kind}`, every!, 1), once: tail === 'once' });
  }
  let pause: FaultPlan['pause'];
  if (v['pause-feed'] !== undefined) {
    const [at, dur, ...rest] = v['pause-feed'].split(':');
    if (rest.length > 0) throw new UsageError(`--pause-feed: ${JSON.stringify(v['pause-feed'])} is not <at>[:<for>]`);
    pause = { atMs: whole('--pause-feed', at!, 0), forMs: dur === undefined ? undefined : whole('--pause-feed', dur, 1) };
  }
  return { close, closeCount, closeBefore: v['close-before'] === true, malformed, pause };
}

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, key: { type: 'string' },
      'key-id': { type: 'string' }, account: { type: 'string' }, rate: { type: 'string' }, instruments: { type: 'string' },
      'message-rate': { type: 'string' }, 'no-throttle': { type: 'boolean' }, cert: { type: 'string' }, 'tls-key': { type: 'string' },
      'reject-logins': { type: 'boolean' }, 'drop-replies': { type: 'string' }, 'delay-replies': { type: 'string' }, help: { type: 'boolean' },
      'close-on': { type: 'string', multiple: true }, 'close-count': { type: 'string' }, 'close-before': { type: 'boolean' },
      'malformed-json': { type: 'string' }, 'malformed-frame': { type: 'string' }, 'pause-feed': { type: 'string' },
      options: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  let plan: FaultPlan;
  try {
    plan = parseFaults(values);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`sim: ${e.message} (try --help)\n`);
    return 2;
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
    ...(values.options === true ? { optionChain: true } : {}),
    messageRate: num(values['message-rate']) ?? 1000,
    throttle: values['no-throttle'] !== true,
    ...(values.cert !== undefined && values['tls-key'] !== undefined ? { tls: { certFile: values.cert, keyFile: values['tls-key'] } } : {}),
  });
  if (values['reject-logins'] === true) sim.faults.rejectLogins = true;
  if (values['drop-replies'] !== undefined) sim.faults.dropReplies(values['drop-replies']);
  if (values['delay-replies'] !== undefined) sim.faults.delayReplies('*', Number(values['delay-replies']));
  for (const c of plan.close) sim.faults.closeOn(c.method, { count: plan.closeCount, when: plan.closeBefore ? 'before' : 'after', ...(c.code !== undefined ? { code: c.code } : {}) });
  const timers: NodeJS.Timeout[] = [];
  for (const m of plan.malformed) {
    const t = setInterval(() => {
      if (sim.connections() === 0) return;
      if (m.kind === 'json') sim.sendMalformed();
      else sim.sendInvalidFrame();
      if (m.once) clearInterval(t);
    }, m.everyMs);
    timers.push(t);
  }
  if (plan.pause !== undefined) {
    const { atMs, forMs } = plan.pause;
    const pause = () => {
      sim.faults.feedPaused = true;
      if (forMs !== undefined) timers.push(setTimeout(() => (sim.faults.feedPaused = false), forMs));
    };
    if (atMs === 0) pause();
    else timers.push(setTimeout(pause, atMs));
  }
  // Signal handlers before the "listening" line: a parent that reads it may signal at once, and
  // until a handler exists the kernel's default action kills the process (exit code null).
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('disconnect', resolve);
  });
  process.stdout.write(`simulator listening on ${sim.url} (${serverLabel(sim.server)})\n`);
  if (keys.length === 0) {
    // Without a registered key every public/login is refused ("unknown key id"): say so up front
    // rather than let the first client find out.
    process.stdout.write(
      'no API key registered (--key): public methods work, but no login can succeed. To add one:\n' +
        '  thalex-quoter keygen ~/.thalex/sim-key\n' +
        '  thalex-quoter sim --key ~/.thalex/sim-key.pub.pem --key-id sim-key\n' +
        `  thalex-quoter run --url ${sim.url} --key-id sim-key --pem ~/.thalex/sim-key.pem --instruments BTC-PERPETUAL\n` +
        '(or: thalex-quoter start, which runs a simulator with a throw-away key)\n',
    );
  }
  if (process.send !== undefined) process.send({ url: sim.url, port: sim.port, server: sim.server });
  await stopped;
  for (const t of timers) clearTimeout(t);
  await sim.stop();
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e: unknown) => {
    process.stderr.write(`sim: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}
