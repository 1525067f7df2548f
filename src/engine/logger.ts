/** The logging the engine needs; a pino Logger satisfies it. */
export interface EngineLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

const noop = (): void => {};

/** Default for embedders who pass no logger: say nothing. */
export const silentLogger: EngineLogger = { debug: noop, info: noop, warn: noop, error: noop };
