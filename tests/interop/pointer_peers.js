// Joins an archboard room as N Yjs peers whose pointers wander over the board at 20 updates a
// second each (the most archboard itself sends), for SECS seconds. With `archboard bench --join`
// it measures what other people's presence costs a window.
//
// Usage: node pointer_peers.js ws://127.0.0.1:PORT ROOM N SECS   (NODE_PATH must find yjs,
// y-websocket, ws)
const Y = require('yjs');
const { WebsocketProvider } = require('y-websocket');
const WebSocket = require('ws');

const [server, room, count = '3', secs = '30'] = process.argv.slice(2);
const colors = ['#e8590c', '#2f9e44', '#1971c2', '#9c36b5', '#c2255c'];
const peers = [];
for (let i = 0; i < Number(count); i++) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server, room, doc, { WebSocketPolyfill: WebSocket });
  provider.awareness.setLocalState({
    user: { name: `Peer ${i + 1}`, color: colors[i % colors.length] },
    role: 'interviewer',
  });
  peers.push(provider);
}

const start = Date.now();
const tick = setInterval(() => {
  const t = (Date.now() - start) / 1000;
  peers.forEach((p, i) => {
    const a = t * 0.7 + i * 2.1;
    p.awareness.setLocalStateField('pointer', [400 * Math.cos(a) + 50 * i, 300 * Math.sin(a * 1.3)]);
  });
}, 50);

setTimeout(() => {
  clearInterval(tick);
  peers.forEach((p) => p.destroy());
  process.exit(0);
}, Number(secs) * 1000);
