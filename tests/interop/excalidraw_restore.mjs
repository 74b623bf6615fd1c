// Loads an Excalidraw scene through the real Excalidraw's own `restore` (what excalidraw.com
// runs when a file is opened) and prints what survived, as JSON: arrows, how many stay bound at
// both ends, how many are elbow arrows.
//
// Usage: node excalidraw_restore.mjs BUNDLE SCENE, where BUNDLE is `@excalidraw/excalidraw`
// bundled for Node with esbuild (the package itself only loads in a bundler).
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
for (const k of ['window', 'document', 'navigator', 'HTMLElement', 'Element', 'Node', 'getComputedStyle', 'DOMParser', 'Image', 'FontFace', 'devicePixelRatio', 'location']) {
  try {
    if (!(k in globalThis)) globalThis[k] = dom.window[k];
  } catch (e) {}
}
globalThis.window = dom.window;
// restore() measures text; a stand-in canvas gives plausible widths (nothing is drawn).
dom.window.HTMLCanvasElement.prototype.getContext = () =>
  new Proxy(
    {
      filter: 'none',
      font: '',
      measureText: (t) => ({ width: String(t).length * 8, actualBoundingBoxAscent: 10, actualBoundingBoxDescent: 3 }),
    },
    { get: (o, k) => (k in o ? o[k] : () => {}), set: (o, k, v) => { o[k] = v; return true; } },
  );

const [bundle, scenePath] = process.argv.slice(2);
const { restore } = await import(pathToFileURL(bundle).href);
const scene = JSON.parse(readFileSync(scenePath, 'utf8'));
const out = restore(scene, null, null, { repairBindings: true });
const arrows = out.elements.filter((e) => e.type === 'arrow' && !e.isDeleted);
console.log(JSON.stringify({
  arrows: arrows.length,
  bound: arrows.filter((a) => a.startBinding && a.endBinding).length,
  elbow: arrows.filter((a) => a.elbowed).length,
}));
