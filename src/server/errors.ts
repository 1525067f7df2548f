import { QuoterError } from '../errors.js';

/**
 * A native server was required (`server: 'native'`, or THALEX_QUOTER_SERVER=native) and no
 * uWebSockets.js build loads here. The code is the one this error had before the JS server existed.
 */
export class NativeServerError extends QuoterError {
  constructor(detail: string) {
    super('UWS_ERR_NOT_NATIVE', `no native uWebSockets.js build loads here: ${detail}`);
  }
}

/** THALEX_QUOTER_SERVER or a `server` option names no known server. */
export class ServerChoiceError extends QuoterError {
  constructor(value: string) {
    super('SERVER_ERR_CHOICE', `server must be auto, native or js, got ${JSON.stringify(value)}`);
  }
}

/** A handler wrote to an HTTP response that had already ended or whose client went away (uWS throws here too). */
export class ResponseEndedError extends QuoterError {
  constructor(message: string) {
    super('SERVER_ERR_RESPONSE_ENDED', message);
  }
}
