// Child-process entry for the attachment bench's baseline (tests/bench/attachments.ts): a bare
// node:http server on 127.0.0.1 that reads a request body to the end and answers 204, nothing
// stored: the raw transfer time on loopback, in its own process like our server.
import { createServer } from 'node:http';
import { isChildRequest, sendToParent } from './ipc';

const server = createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    response.writeHead(204, { 'x-bytes': String(bytes) }).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  sendToParent({ op: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
process.on('message', (message: unknown) => {
  if (isChildRequest(message) && message.op === 'close') process.exit(0);
});
