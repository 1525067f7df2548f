/** Addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Guards a monitor bound to loopback against DNS rebinding: a web page the operator visits can
 * make its own host name resolve to 127.0.0.1 and then read the dashboard as "same origin". The
 * Host header still carries that foreign name, so only loopback names are accepted.
 * On a non-loopback bind the operator chose exposure (and a proxy may rewrite Host): no check.
 */
export function hostAllowed(loopbackOnly: boolean, port: number, hostHeader: string): boolean {
  if (!loopbackOnly) return true;
  const h = hostHeader.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}

/**
 * WebSockets are not bound by the same-origin policy: any page could open ws://127.0.0.1:port/ws
 * and read positions. A browser always sends Origin, so it must be our own page's origin; tools
 * (no Origin header) are let through.
 */
export function originAllowed(originHeader: string, hostHeader: string): boolean {
  if (originHeader === '') return true;
  const o = originHeader.toLowerCase();
  const h = hostHeader.toLowerCase();
  return o === `http://${h}` || o === `https://${h}`;
}
