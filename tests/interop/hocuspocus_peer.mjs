// A JavaScript peer on a Hocuspocus server, using Hocuspocus's own client (@hocuspocus/provider):
// once synced it prints the labels of the room's blocks as JSON, then adds a block the way the
// README's document layout says, and leaves once the server has it.
//
// Usage: node hocuspocus_peer.mjs ws://127.0.0.1:PORT ROOM LABEL
// Run from the npm folder that holds @hocuspocus/provider, yjs and ws.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import WebSocket from 'ws';

const [url, name, label] = process.argv.slice(2);
const document = new Y.Doc();
const timer = setTimeout(() => {
  console.error('no sync within 10 s');
  process.exit(2);
}, 10000);
const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
const provider = new HocuspocusProvider({
  websocketProvider,
  name,
  document,
  onSynced() {
    const blocks = document.getMap('blocks');
    const labels = [];
    blocks.forEach((b) => labels.push(b.get('label').toString()));
    console.log(JSON.stringify(labels.sort()));
    document.transact(() => {
      const b = new Y.Map();
      b.set('kind', 'cache');
      b.set('label', new Y.Text(label));
      b.set('pos', [400, 0]);
      b.set('size', [140, 70]);
      blocks.set('4000000001', b);
    });
    // Leave once the server has acknowledged the change.
    const check = setInterval(() => {
      if (!provider.hasUnsyncedChanges) {
        clearInterval(check);
        clearTimeout(timer);
        provider.destroy();
        websocketProvider.destroy();
        process.exit(0);
      }
    }, 20);
  },
});
// With a websocket provider of its own, a provider connects once attached to it.
provider.attach();
