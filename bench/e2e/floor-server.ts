/*
 * The raw-TCP floor's far end, run as its own process (like the simulator): for every
 * `reqSize` bytes received it writes `replySize` bytes back. No framing, no parsing: the cost of
 * two Node processes exchanging messages of these sizes over 127.0.0.1, which no WebSocket
 * client can beat.
 *
 * With a push rate (argv[4] bytes, argv[5] per second) it also pushes ticker-sized messages on
 * the simulator's own schedule (a 1 ms timer catching up on what is due), so that the client can
 * answer pushes the way the engine answers tickers. Pushes start with 't', replies with 'r'.
 */
import { createServer } from 'node:net';

const reqSize = Number(process.argv[2] ?? 200);
const replySize = Number(process.argv[3] ?? 100);
const pushSize = Number(process.argv[4] ?? 0);
const pushRate = Number(process.argv[5] ?? 0);
const reply = Buffer.alloc(replySize, 0x61);
reply[0] = 0x72; // 'r'
const push = Buffer.alloc(Math.max(1, pushSize), 0x61);
push[0] = 0x74; // 't'

const server = createServer((sock) => {
  sock.setNoDelay(true);
  let pending = 0;
  sock.on('data', (chunk: Buffer) => {
    pending += chunk.length;
    while (pending >= reqSize) {
      pending -= reqSize;
      sock.write(reply);
    }
  });
  let feed: NodeJS.Timeout | undefined;
  if (pushSize > 0 && pushRate > 0) {
    // The simulator's feed loop (src/sim/index.ts): a 1 ms timer that sends what is due.
    let due = 0;
    let last = Date.now();
    feed = setInterval(() => {
      const now = Date.now();
      due += ((now - last) * pushRate) / 1000;
      last = now;
      const n = Math.min(Math.floor(due), 1000);
      due -= n;
      for (let k = 0; k < n; k++) sock.write(push);
    }, Math.max(1, Math.floor(1000 / pushRate)));
  }
  sock.on('close', () => clearInterval(feed));
  sock.on('error', () => sock.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({ port: typeof addr === 'object' && addr !== null ? addr.port : 0 });
});
process.on('disconnect', () => process.exit(0));
