// A Hocuspocus 4 server for archboard's interop tests, on 127.0.0.1 and a free port.
// It prints `listening on PORT` once ready. Documents are kept in memory between connections
// (Hocuspocus unloads a document when its last connection goes; deployments store it with a
// persistence extension, which this stands in for). With HOCUSPOCUS_TOKEN set, an onAuthenticate hook
// refuses any other token; with REDIS_PORT set, it joins the other instances on that Redis.
// Run from the npm folder that holds @hocuspocus/server (and @hocuspocus/extension-redis).
import { Server } from '@hocuspocus/server';
import * as Y from 'yjs';

const saved = new Map();

const token = process.env.HOCUSPOCUS_TOKEN;
const extensions = [];
if (process.env.REDIS_PORT) {
  const { Redis } = await import('@hocuspocus/extension-redis');
  extensions.push(new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) }));
}
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions,
  async onLoadDocument({ documentName, document }) {
    const state = saved.get(documentName);
    if (state) Y.applyUpdate(document, state);
    return document;
  },
  async onStoreDocument({ documentName, document }) {
    saved.set(documentName, Y.encodeStateAsUpdate(document));
  },
  async onAuthenticate({ token: given }) {
    if (token && given !== token) {
      throw new Error('the token was refused');
    }
  },
});
await server.listen();
console.log(`listening on ${server.address.port}`);
