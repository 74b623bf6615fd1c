// Drives archboard's web app in headless Chromium for tests/web_browser.rs: one JSON command
// per line on stdin, one JSON answer per line on stdout. The page reports its board on
// <body data-blocks data-links data-status>.
//   {"open": URL, "page": NAME}             opens a tab
//   {"key": "l", "page": NAME, "at": [x,y]} clicks at (x, y) on the canvas, then presses the key
//   {"press": "Enter", "page": NAME}        presses a key where the focus is
//   {"keys": ["Control", "Shift", "m"], "page": NAME}  presses the last key with the others held
//   {"wait": {"blocks": N}, "page": NAME}   waits (at most "ms", default 15 s) for the counts
//                                           ({"status_has": TEXT} for words in the status line)
//   {"pick": PATH, "page": NAME}            presses Ctrl+O and gives PATH to the file picker
//   {"clipboard": true, "page": NAME}       what the page's clipboard holds: text and types
//   {"reload": NAME}
//   {"shot": PATH, "page": NAME}
import puppeteer from "puppeteer-core";
import readline from "node:readline";

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: "new",
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
const pages = new Map();
const problems = [];
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const state = (page) => page.evaluate(() => ({
  blocks: Number(document.body.dataset.blocks ?? -1),
  links: Number(document.body.dataset.links ?? -1),
  status: document.body.dataset.status ?? "",
  failure: document.getElementById("failure")?.textContent ?? "",
}));

async function run(c) {
  if (c.open) {
    const page = pages.get(c.page) ?? await browser.newPage();
    pages.set(c.page, page);
    page.on("pageerror", (e) => problems.push(`${c.page}: ${e.message}`));
    // Chromium's own line about a WebSocket that did not open is not the page's error.
    const ours = (t) => !t.includes("404") && !t.startsWith("WebSocket connection to");
    page.on("console", (m) => { if (m.type() === "error" && ours(m.text())) problems.push(`${c.page}: ${m.text()}`); });
    await page.setViewport({ width: 1280, height: 800 });
    await browser.defaultBrowserContext().overridePermissions(new URL(c.open).origin,
      ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
    await page.goto(c.open);
    await page.waitForFunction(() => document.body.dataset.blocks !== undefined, { timeout: 20000 });
    return state(page);
  }
  const page = pages.get(c.page ?? c.reload);
  if (!page) throw new Error(`no page ${c.page ?? c.reload}`);
  if (c.key) {
    const [x, y] = c.at ?? [530, 700];
    await page.mouse.click(x, y);
    await page.mouse.move(x + 1, y + 1);
    await page.keyboard.press(c.key);
    return state(page);
  }
  if (c.keys) {
    const held = c.keys.slice(0, -1);
    for (const k of held) await page.keyboard.down(k);
    await page.keyboard.press(c.keys[c.keys.length - 1]);
    for (const k of held.reverse()) await page.keyboard.up(k);
    return state(page);
  }
  if (c.pick) {
    // The canvas must have the keyboard; a loaded machine may draw the frame that opens the
    // picker late, so Ctrl+O is tried a few times.
    await page.mouse.click(530, 700);
    for (let attempt = 1; ; attempt++) {
      try {
        const [chooser] = await Promise.all([
          page.waitForFileChooser({ timeout: 8000 }),
          (async () => {
            await page.keyboard.down("Control");
            await page.keyboard.press("o");
            await page.keyboard.up("Control");
          })(),
        ]);
        await chooser.accept([c.pick]);
        return state(page);
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
  }
  if (c.clipboard) {
    await new Promise((r) => setTimeout(r, 300));
    return await page.evaluate(async () => {
      const items = await navigator.clipboard.read();
      const types = items.flatMap((i) => i.types);
      const text = types.includes("text/plain") ? await navigator.clipboard.readText() : "";
      let png = 0;
      for (const i of items) if (i.types.includes("image/png")) png = (await i.getType("image/png")).size;
      return { text, types, png };
    });
  }
  if (c.press) {
    await page.keyboard.press(c.press);
    return state(page);
  }
  if (c.wait) {
    const until = Date.now() + (c.ms ?? 15000);
    let now = await state(page);
    while (Date.now() < until) {
      const holds = ([k, v]) => k === "status_has" ? now.status.includes(v) : now[k] === v;
      if (Object.entries(c.wait).every(holds)) return { ...now, ok: true };
      await new Promise((r) => setTimeout(r, 100));
      now = await state(page);
    }
    return { ...now, ok: false };
  }
  if (c.reload) {
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.blocks !== undefined, { timeout: 20000 });
    return state(page);
  }
  if (c.shot) {
    await page.screenshot({ path: c.shot });
    return state(page);
  }
  throw new Error(`unknown command ${JSON.stringify(c)}`);
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  try {
    const answer = await run(JSON.parse(line));
    say({ ok: true, ...answer, problems });
  } catch (e) {
    say({ ok: false, error: String(e), problems });
  }
}
await browser.close();
