import pino from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import PinoPretty from 'pino-pretty';

/**
 * Keys whose values never reach a log line, wherever they sit (fast-redact paths, one level of
 * wildcard each): login tokens, private keys and the monitor's kill-switch token.
 */
export const REDACT_PATHS = [
  'token', '*.token', '*.*.token',
  'privateKey', '*.privateKey', '*.*.privateKey',
  'privateKeyPem', '*.privateKeyPem', '*.*.privateKeyPem',
  'pem', '*.pem',
  'killToken', '*.killToken', '*.*.killToken',
  'authorization', '*.authorization', 'headers.authorization',
];

// Defence in depth for secrets that slip into message text: a JWT (three base64url parts, the
// first an encoded JSON header) or a PEM private-key block.
const JWT_RE = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;
const PEM_RE = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

export function scrubSecrets(text: string): string {
  return text.replace(PEM_RE, '[Redacted PEM]').replace(JWT_RE, '[Redacted JWT]');
}

// Terminal output. singleLine: one record, one line (a retry loop must not scroll the screen
// away). The engine's state and protection fields are in their messages already.
const PRETTY = { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,state,previous,detail,product,from,to,reason,remaining', singleLine: true } as const;

export interface LogOptions {
  level?: pino.LevelWithSilent;
  /** Human-readable lines (for a terminal), to `destination` if given. Default: when stdout is a TTY and no destination is given. */
  pretty?: boolean;
  /** Where lines go. Default: stdout through an asynchronous destination. */
  destination?: DestinationStream;
}

/**
 * The process logger. JSON lines by default through an asynchronous sonic-boom destination, so a
 * log call costs a buffer append, not a write(2); the hot path does not log at all. Call
 * `flushLogger` before exit.
 */
export function createLogger(options: LogOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const a: unknown = args[i];
          if (typeof a === 'string') args[i] = scrubSecrets(a);
        }
        method.apply(this, args);
      },
    },
    serializers: {
      err: (e: unknown) => {
        const s = pino.stdSerializers.err(e as Error);
        if (typeof s.message === 'string') s.message = scrubSecrets(s.message);
        if (typeof s.stack === 'string') s.stack = scrubSecrets(s.stack);
        return s;
      },
    },
  };
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  let dest: DestinationStream;
  if (pretty && options.destination !== undefined) dest = PinoPretty({ ...PRETTY, destination: options.destination });
  else if (options.destination !== undefined) dest = options.destination;
  else if (pretty) dest = PinoPretty({ ...PRETTY, sync: false });
  else dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  return pino(pinoOptions, dest);
}

/** Writes out what the asynchronous destination still holds. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.flush(() => resolve());
  });
}
