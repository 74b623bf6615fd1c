// Reads an archboard room through a y-websocket relay with the Yjs library itself, and prints
// what it finds as JSON: the proof that the document layout in the README is what a
// JavaScript peer sees.
//
// Usage: node read_room.js ws://127.0.0.1:PORT ROOM   (NODE_PATH must find yjs, y-websocket, ws)
const Y = require('yjs');
const { WebsocketProvider } = require('y-websocket');
const WebSocket = require('ws');

const [server, room] = process.argv.slice(2);
const doc = new Y.Doc();
const provider = new WebsocketProvider(server, room, doc, { WebSocketPolyfill: WebSocket });
const timer = setTimeout(() => {
  console.error('no sync within 10 s');
  process.exit(2);
}, 10000);

function plain(v) {
  if (v instanceof Y.Text) return { text: v.toString() };
  if (v instanceof Y.Map) {
    const o = {};
    v.forEach((x, k) => { o[k] = plain(x); });
    return { map: o };
  }
  return v;
}

provider.on('sync', (synced) => {
  if (!synced) return;
  clearTimeout(timer);
  const out = {};
  for (const name of ['blocks', 'links', 'board', 'estimate', 'interview']) {
    out[name] = plain(doc.getMap(name)).map;
  }
  process.stdout.write(JSON.stringify(out));
  provider.destroy();
  process.exit(0);
});
