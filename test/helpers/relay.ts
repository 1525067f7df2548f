import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of a real server, for faults the server cannot make itself:
 * `stall()` stops reading what the client sends (the bytes pile up in the client's socket, as
 * when a venue stops reading), `resume()` reads again.
 */
export interface Relay {
  readonly port: number;
  /** ws URL of the relay for a ws URL of the target. */
  url(target: string): string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

/** `port`: listen there (e.g. to come back where a closed relay was); 0 picks a free one. */
export async function startRelay(targetPort: number, port = 0): Promise<Relay> {
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) client.pause();
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    url: (target) => target.replace(/:\d+\//, `:${bound}/`),
    stall() {
      stalled = true;
      // unpipe: pipe() would resume the flow on the next 'drain'.
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        client.pause();
      }
    },
    resume() {
      stalled = false;
      for (const [client, upstream] of pairs) {
        client.pipe(upstream);
        client.resume();
      }
    },
    close: () =>
      new Promise<void>((res) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => res());
      }),
  };
}
