import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { parsePrivateKey } from '../protocol/login-token.js';
import { ProtocolError } from '../protocol/errors.js';
import { parseEngineConfig, type EngineConfig } from '../engine/config.js';
import { ConfigError } from '../engine/errors.js';
import { CliError } from './errors.js';

export const NETWORK_URLS = {
  testnet: 'wss://testnet.thalex.com/ws/api/v2',
  production: 'wss://thalex.com/ws/api/v2',
} as const;

export type Network = 'sim' | 'testnet' | 'production';

/** What `run` takes from the command line (already parsed by node:util parseArgs). */
export interface RunFlags {
  config?: string;
  network?: string;
  url?: string;
  keyId?: string;
  pem?: string;
  account?: string;
  instruments?: string;
  confirmProduction?: boolean;
}

export interface ResolvedRun {
  network: Network;
  config: EngineConfig;
  /** Warnings to print (e.g. a key file readable by others). */
  warnings: string[];
}

/**
 * Merges flags over environment (`THALEX_PEM_PATH`, `THALEX_KEY_ID`, `THALEX_ACCOUNT`) over a
 * JSON config file, then validates the whole with the engine's schema. Every problem is a
 * CliError naming the field and the fix; nothing here touches the network.
 */
/** The embedded simulator the CLI started, with the throwaway key it registered. */
export interface EmbeddedSim {
  url: string;
  keyId: string;
  pemPath: string;
}

export function resolveRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv, sim?: EmbeddedSim): ResolvedRun {
  const simUrl = sim?.url;
  const warnings: string[] = [];
  const file = flags.config === undefined ? {} : readConfigFile(flags.config);
  const merged: Record<string, unknown> = { ...file };

  const network = (flags.network ?? (typeof file['network'] === 'string' ? file['network'] : undefined) ?? (simUrl !== undefined ? 'sim' : undefined)) as string | undefined;
  delete merged['network'];
  if (network !== undefined && network !== 'sim' && network !== 'testnet' && network !== 'production') {
    throw new CliError('CLI_ERR_USAGE', `--network must be sim, testnet or production (got "${network}")`);
  }
  if (flags.url !== undefined) merged['url'] = flags.url;
  else if (network === 'testnet' || network === 'production') merged['url'] = NETWORK_URLS[network];
  else if (network === 'sim' && simUrl !== undefined) merged['url'] = simUrl;
  if (merged['url'] === undefined) {
    throw new CliError('CLI_ERR_USAGE', 'no venue: pass --network sim|testnet|production or --url ws(s)://…');
  }
  const net: Network = network === 'testnet' || network === 'production' ? network : 'sim';
  if (net === 'production' && flags.confirmProduction !== true) {
    throw new CliError('CLI_ERR_PRODUCTION_NOT_CONFIRMED', 'production trades real money: add --confirm-production to proceed');
  }

  // The embedded simulator knows only its throw-away key (and a key given on its command line):
  // credentials exported for testnet, or kept in a config file shared with testnet, would be
  // refused by it, so only --key-id/--pem count there.
  const forEmbeddedSim = net === 'sim' && sim !== undefined && merged['url'] === simUrl;
  const fileCreds = forEmbeddedSim ? {} : ((file['credentials'] ?? {}) as Record<string, unknown>);
  const fromEnv = (name: string) => (forEmbeddedSim ? undefined : env[name] || undefined);
  if (forEmbeddedSim && (flags.keyId === undefined) !== (flags.pem === undefined)) {
    throw new CliError('CLI_ERR_CREDENTIALS', 'the embedded simulator takes both --key-id and --pem, or neither (then it uses a throw-away key)');
  }
  const keyId = flags.keyId ?? fromEnv('THALEX_KEY_ID') ?? (fileCreds['keyId'] as string | undefined);
  const pemPath = flags.pem ?? fromEnv('THALEX_PEM_PATH') ?? (fileCreds['privateKeyPath'] as string | undefined);
  const account = flags.account ?? fromEnv('THALEX_ACCOUNT') ?? (fileCreds['account'] as string | undefined);
  if (keyId === undefined || (pemPath === undefined && fileCreds['privateKeyPem'] === undefined)) {
    if (!forEmbeddedSim) {
      throw new CliError(
        'CLI_ERR_CREDENTIALS',
        `${net} needs credentials: set --key-id (or THALEX_KEY_ID) and --pem (or THALEX_PEM_PATH)`,
      );
    }
    merged['credentials'] = { keyId: sim!.keyId, privateKeyPath: sim!.pemPath };
  } else {
    const creds: Record<string, unknown> = { ...fileCreds, keyId };
    if (pemPath !== undefined) {
      checkKeyFile(pemPath, warnings);
      creds['privateKeyPath'] = pemPath;
      delete creds['privateKeyPem'];
    }
    if (account !== undefined) creds['account'] = account;
    if (typeof creds['privateKeyPem'] === 'string') {
      try {
        parsePrivateKey(creds['privateKeyPem'], 'config credentials.privateKeyPem');
      } catch (e) {
        if (e instanceof ProtocolError) throw new CliError('CLI_ERR_KEY_FILE', e.message);
        throw e;
      }
    }
    merged['credentials'] = creds;
  }
  if (flags.instruments !== undefined) {
    merged['instruments'] = flags.instruments.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }
  try {
    return { network: net, config: parseEngineConfig(merged), warnings };
  } catch (e) {
    if (e instanceof ConfigError) {
      const first = e.issues[0]!;
      const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more)` : '';
      throw new CliError('CLI_ERR_CONFIG', `config${first.path ? ` ${first.path}` : ''}: ${first.message}${more}`, { cause: e });
    }
    throw e;
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError('CLI_ERR_CONFIG_FILE', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError('CLI_ERR_CONFIG_FILE', `config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError('CLI_ERR_CONFIG_FILE', `config file ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Readable, a regular file; warns when group or others may read it (like ssh does). */
function checkKeyFile(path: string, warnings: string[]): void {
  try {
    accessSync(path, constants.R_OK);
    const st = statSync(path);
    if (!st.isFile()) throw new CliError('CLI_ERR_KEY_FILE', `private key ${path} is not a regular file`);
    if ((st.mode & 0o077) !== 0) {
      warnings.push(`private key ${path} is readable by group or others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
    }
    // Parsed here, not at login: a file that is not an RSA private key is a config error (exit 2,
    // nothing sent), not a bootstrap failure. The messages name the file, never its content.
    parsePrivateKey(readFileSync(path, 'utf8'), `private key ${path}`);
  } catch (e) {
    if (e instanceof ProtocolError) throw new CliError('CLI_ERR_KEY_FILE', `${e.message}; point --pem (or THALEX_PEM_PATH) at the PEM private key of your API key`);
    if (e instanceof CliError) throw e;
    throw new CliError('CLI_ERR_KEY_FILE', `cannot read private key ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
