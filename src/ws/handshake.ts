import { createHash, randomBytes } from 'node:crypto';
import { WsError } from './errors.js';

// RFC 6455 §1.3: the GUID appended to the key before hashing.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function makeKey(): string {
  return randomBytes(16).toString('base64');
}

export function expectedAccept(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export function upgradeRequest(url: URL, key: string, headers: Readonly<Record<string, string>>): string {
  const path = `${url.pathname || '/'}${url.search}`;
  const defaultPort = url.protocol === 'wss:' ? '443' : '80';
  const host = url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname;
  let req =
    `GET ${path} HTTP/1.1\r\n` +
    `Host: ${host}\r\n` +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Key: ${key}\r\n` +
    'Sec-WebSocket-Version: 13\r\n';
  for (const [k, v] of Object.entries(headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new WsError('WS_ERR_HANDSHAKE', `header ${JSON.stringify(k)} contains a line break`);
    req += `${k}: ${v}\r\n`;
  }
  return `${req}\r\n`;
}

/**
 * Checks the server's answer to the upgrade (RFC 6455 §4.1, client requirements 1–4): status
 * 101, `Upgrade: websocket`, `Connection: Upgrade`, and `Sec-WebSocket-Accept` matching our
 * key. We negotiate no extension and no subprotocol, so the server must not pick any.
 */
export function verifyUpgradeResponse(head: string, key: string): void {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '');
  if (status === null) throw new WsError('WS_ERR_HANDSHAKE', `not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  if (status[1] !== '101') throw new WsError('WS_ERR_HANDSHAKE', `server answered ${lines[0]!.slice(9, 80)} instead of 101 Switching Protocols`);
  const h = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) h.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  if ((h.get('upgrade') ?? '').toLowerCase() !== 'websocket') throw new WsError('WS_ERR_HANDSHAKE', 'missing "Upgrade: websocket"');
  if (!(h.get('connection') ?? '').toLowerCase().split(/\s*,\s*/).includes('upgrade')) throw new WsError('WS_ERR_HANDSHAKE', 'missing "Connection: Upgrade"');
  if (h.get('sec-websocket-accept') !== expectedAccept(key)) throw new WsError('WS_ERR_HANDSHAKE', 'Sec-WebSocket-Accept does not match our key');
  if (h.has('sec-websocket-extensions')) throw new WsError('WS_ERR_HANDSHAKE', 'server selected an extension we did not offer');
  if (h.has('sec-websocket-protocol')) throw new WsError('WS_ERR_HANDSHAKE', 'server selected a subprotocol we did not offer');
}
