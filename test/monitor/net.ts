import { readFileSync } from 'node:fs';

/**
 * Local addresses of the LISTEN sockets on `port`, read from the kernel's socket tables
 * (/proc/net/tcp and tcp6), so the test sees what was really bound, not what we asked for.
 */
export function listenAddresses(port: number): string[] {
  const out: string[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // 0A = TCP_LISTEN
      const [addr, portHex] = f[1]!.split(':') as [string, string];
      if (parseInt(portHex, 16) !== port) continue;
      out.push(v6 ? `v6:${addr}` : ipv4(addr));
    }
  }
  return out;
}

/** /proc/net/tcp prints the address as a little-endian 32-bit hex number. */
function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

/** A raw HTTP/1.1 request, for headers fetch() will not let us set (Host, Origin). */
export async function rawRequest(port: number, head: string): Promise<string> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(head));
    let data = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (data += d));
    s.on('end', () => resolve(data));
    s.on('error', reject);
    s.setTimeout(10_000, () => {
      s.destroy();
      resolve(data);
    });
  });
}
