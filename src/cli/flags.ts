import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.js';

type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

/** node:util parseArgs, its errors (unknown flag, missing value) as usage errors: exit 2. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ParsedResults<T> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new CliError('CLI_ERR_USAGE', `${(e as Error).message.split('\n')[0]} (try --help)`);
  }
}
