import { QuoterError } from '../errors.js';

/** The monitor options are unusable (bad host, port, interval or token); nothing was started. */
export class MonitorConfigError extends QuoterError {
  constructor(message: string) {
    super('MONITOR_ERR_CONFIG', message);
  }
}

/** The server could not listen on the requested host and port (in use, or not an address of this host). */
export class MonitorListenError extends QuoterError {
  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number) {
    super('MONITOR_ERR_LISTEN', `monitor could not listen on ${host}:${port} (port in use, or not a local address)`);
    this.host = host;
    this.port = port;
  }
}

/** A static asset the page needs (uPlot from node_modules) could not be found or read. */
export class MonitorAssetError extends QuoterError {
  constructor(asset: string, options?: { cause?: unknown }) {
    super('MONITOR_ERR_ASSET', `monitor asset ${asset} could not be loaded (is the uplot package installed?)`, options);
  }
}
