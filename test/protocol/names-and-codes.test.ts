import { describe, expect, it } from 'vitest';
import { DELAYS, PrivateChannel, PublicChannel, tickerChannel, type Delay } from '../../src/protocol/channels.js';
import { ThalexErrorCode, errorCodeName, isThalexErrorCode } from '../../src/protocol/error-codes.js';
import { ProtocolError, VenueError } from '../../src/protocol/errors.js';
import { Method } from '../../src/protocol/methods.js';
import { QuoterError } from '../../src/errors.js';
import { SPEC_DELAYS, channelTemplate, hasMethod, validateErrorReply } from '../helpers/spec.js';

describe('method names', () => {
  it('every constant is a JSON-RPC method of the spec', () => {
    for (const m of Object.values(Method)) expect(hasMethod(m), m).toBe(true);
  });
});

describe('channel names', () => {
  it('delays are exactly the spec\'s', () => {
    expect([...DELAYS].sort()).toEqual([...SPEC_DELAYS].sort());
  });

  it('tickerChannel maps to the spec template', () => {
    for (const d of DELAYS) {
      const c = tickerChannel('BTC-PERPETUAL', d);
      expect(c).toBe(`ticker.BTC-PERPETUAL.${d}`);
      expect(channelTemplate(c)).toBe('ticker.<instrument>.<delay>');
    }
    expect(tickerChannel('[BTC-30MAY25-93000-C:-1,BTC-30MAY25-80000-C:1]', 'raw')).toBe(
      'ticker.[BTC-30MAY25-93000-C:-1,BTC-30MAY25-80000-C:1].raw',
    );
  });

  it('fixed channel names are spec channels', () => {
    for (const c of [...Object.values(PrivateChannel), ...Object.values(PublicChannel)]) expect(channelTemplate(c), c).toBe(c);
  });

  it('bad parts are refused', () => {
    for (const f of [
      () => tickerChannel('', '100ms'),
      () => tickerChannel('BTC PERPETUAL', '100ms'),
      () => tickerChannel('BTC-PERPETUAL', '300ms' as Delay),
    ]) {
      expect(f).toThrow(ProtocolError);
      try {
        f();
      } catch (e) {
        expect((e as ProtocolError).code).toBe('PROTO_ERR_BAD_CHANNEL');
      }
    }
  });
});

describe('venue error codes', () => {
  it('spot checks against thalex_rust_sdk error_code.rs', () => {
    expect(ThalexErrorCode.OrderNotFound).toBe(1);
    expect(ThalexErrorCode.ThrottleExceeded).toBe(4);
    expect(ThalexErrorCode.NotLoggedIn).toBe(7);
    expect(ThalexErrorCode.ProtNotSet).toBe(23);
    expect(ThalexErrorCode.UnknownMethod).toBe(31);
    expect(ThalexErrorCode.PriceCollarBreach).toBe(43);
    expect(ThalexErrorCode.QuoteExceedsProtGroupSize).toBe(44);
    expect(ThalexErrorCode.RejectedOnVolumeQuota).toBe(58);
  });

  it('the table is 1..58, each code once', () => {
    const codes = Object.values(ThalexErrorCode).sort((a, b) => a - b);
    expect(codes).toEqual(Array.from({ length: 58 }, (_, k) => k + 1));
  });

  it('errorCodeName / isThalexErrorCode', () => {
    expect(errorCodeName(4)).toBe('ThrottleExceeded');
    expect(errorCodeName(23)).toBe('ProtNotSet');
    expect(errorCodeName(44)).toBe('QuoteExceedsProtGroupSize');
    expect(errorCodeName(0)).toBe('Unknown(0)');
    expect(errorCodeName(59)).toBe('Unknown(59)');
    expect(errorCodeName(-32000)).toBe('Unknown(-32000)');
    expect(errorCodeName(4.5)).toBe('Unknown(4.5)');
    expect(isThalexErrorCode(31)).toBe(true);
    expect(isThalexErrorCode(0)).toBe(false);
  });

  it('VenueError carries code, name, message and method', () => {
    const reply = { id: 9, error: { code: 4, message: 'throttle exceeded' } };
    expect(validateErrorReply(reply)).toEqual([]);
    const e = VenueError.fromReply(Method.MassQuote, reply.error);
    expect(e).toBeInstanceOf(QuoterError);
    expect(e.code).toBe('PROTO_ERR_VENUE');
    expect(e.name).toBe('VenueError');
    expect(e.venueCode).toBe(4);
    expect(e.venueName).toBe('ThrottleExceeded');
    expect(e.venueMessage).toBe('throttle exceeded');
    expect(e.method).toBe('private/mass_quote');
    expect(e.message).toBe('private/mass_quote failed: venue error 4 ThrottleExceeded: throttle exceeded');
    expect(new VenueError('public/login', 99, 'x').venueName).toBe('Unknown(99)');
  });
});
