// Measures archboard's web app in headless Chromium, for benches/web_vs_native.sh.
//   node web_bench.mjs bench URL   prints the ?bench= page's console lines (the phases of
//                                  `archboard bench`) until its idle line
//   node web_bench.mjs room URL    opens a ?room=…&timings=1 page, prints when the room's board
//                                  is first drawn, then turns the review overlay on (F7) and
//                                  prints the longest tasks the tab ran meanwhile: how long
//                                  the page could not answer a click
import puppeteer from "puppeteer-core";

const [mode, url] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: "new",
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
const stop = setTimeout(() => { console.log("web_bench: gave up after 240 s"); process.exit(1); }, 240000);
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 800 });
let seen;
const line = (prefix) => new Promise((r) => { seen = { prefix, r }; });
page.on("console", (m) => {
  const t = m.text();
  if (t.includes("404")) return;
  console.log(t);
  if (seen && t.startsWith(seen.prefix)) seen.r(t);
});
page.on("pageerror", (e) => console.log("page error:", e.message));
// Long tasks (over 50 ms) from the start, kept on the page.
await page.evaluateOnNewDocument(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
    .observe({ type: "longtask", buffered: true });
});
const longest = async (since) => {
  const all = await page.evaluate(() => window.__long);
  const d = all.filter(([s]) => s >= since).map(([, d]) => d).sort((a, b) => b - a);
  return d.length ? `${d.length} tasks over 50 ms, longest ${d.slice(0, 3).map((x) => x.toFixed(0)).join(", ")} ms`
    : "no task over 50 ms";
};
if (mode === "bench") {
  const done = line("idle:");
  await page.goto(url);
  await done;
} else {
  const drawn = line("room:");
  await page.goto(url);
  await drawn;
  console.log(`while opening: ${await longest(0)}`);
  await page.mouse.click(640, 400);
  const since = await page.evaluate(() => performance.now());
  await page.keyboard.press("F7");
  await new Promise((r) => setTimeout(r, 5000));
  console.log(`review overlay on, 5 s: ${await longest(since)}`);
}
clearTimeout(stop);
await browser.close();
