/*
 * The raw-TCP floor's far end, run as its own process (like the simulator): for every
 * `reqSize` bytes received it writes `replySize` bytes back. No framing, no parsing: the cost of
 * two Node processes exchanging messages of these sizes over 127.0.0.1, which no WebSocket
 * client can beat.
 */
import { createServer } from 'node:net';

const reqSize = Number(process.argv[2] ?? 200);
const replySize = Number(process.argv[3] ?? 100);
const reply = Buffer.alloc(replySize, 0x61);

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
  sock.on('error', () => sock.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({ port: typeof addr === 'object' && addr !== null ? addr.port : 0 });
});
process.on('disconnect', () => process.exit(0));
