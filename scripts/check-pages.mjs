// Opens pages of a running portal in headless Chromium through the DevTools
// protocol and prints, per page and width: the document's scrollWidth (a page
// wider than the screen scrolls sideways), the bytes and font files it loaded
// with an empty cache, and, at the first width, axe-core's violations.
// scripts/check-pages.sh runs it; it needs Node 20 or later.
//
//   node --experimental-websocket check-pages.mjs BASE_URL WIDTHS PATH...
//
// Environment: AXE (path of axe.min.js; no accessibility check without it),
// SHOTS (a folder for full-page PNG screenshots), COOKIE (name=value, sent
// with every request, e.g. a console session), MEDIA (emulated media
// features, e.g. prefers-color-scheme:dark), CHROMIUM (the browser binary).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, widthsArg, ...paths] = process.argv.slice(2);
if (!base || !widthsArg || paths.length === 0) {
  console.error('usage: check-pages.mjs BASE_URL WIDTHS PATH...');
  process.exit(2);
}
const widths = widthsArg.split(',').map(Number);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'check-pages-'));
const port = 19000 + Math.floor(Math.random() * 900);
const chrome = spawn(process.env.CHROMIUM || 'chromium', ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
  `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });

let failed = false;
try {
  let targets;
  for (let i = 0; i < 100 && !targets; i++) {
    try { targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json(); } catch { await sleep(200); }
  }
  const ws = new WebSocket(targets.find(t => t.type === 'page').webSocketDebuggerUrl);
  await new Promise(r => { ws.onopen = r; });
  let id = 0;
  const pending = new Map();
  const listeners = new Set();
  ws.onmessage = ev => {
    const m = JSON.parse(ev.data);
    if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } else listeners.forEach(l => l(m));
  };
  const send = (method, params = {}) => new Promise(r => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
  const evaluate = async (expression, awaitPromise = false) =>
    (await send('Runtime.evaluate', { expression, awaitPromise, returnByValue: true })).result.result.value;

  await send('Network.enable');
  await send('Network.setCacheDisabled', { cacheDisabled: true });
  if (process.env.COOKIE) {
    const [name, value] = process.env.COOKIE.split('=');
    await send('Network.setCookie', { name, value, url: base });
  }
  if (process.env.MEDIA) {
    const features = process.env.MEDIA.split(',').map(f => { const [name, value] = f.split(':'); return { name, value }; });
    await send('Emulation.setEmulatedMedia', { features });
  }
  await send('Page.enable');
  const axe = process.env.AXE ? fs.readFileSync(process.env.AXE, 'utf8') : '';
  let bytes = 0, fonts = 0;
  listeners.add(m => {
    if (m.method === 'Network.loadingFinished') bytes += m.params.encodedDataLength;
    if (m.method === 'Network.responseReceived' && m.params.response.url.endsWith('.woff2')) fonts++;
  });
  console.log('width\tpath\tscrollWidth\tKiB\tfonts\taxe');
  for (const w of widths) {
    for (const p of paths) {
      await send('Emulation.setDeviceMetricsOverride', { width: w, height: 900, deviceScaleFactor: 1, mobile: w < 600 });
      bytes = 0; fonts = 0;
      const loaded = new Promise(r => { const l = m => { if (m.method === 'Page.loadEventFired') { listeners.delete(l); r(); } }; listeners.add(l); });
      await send('Page.navigate', { url: base + p });
      await loaded;
      await evaluate('document.fonts.ready.then(() => true)', true);
      await sleep(300);
      const sw = await evaluate('document.documentElement.scrollWidth');
      let violations = '-';
      if (axe && w === widths[0]) {
        await evaluate(axe);
        violations = await evaluate(`axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => v.id + '(' + v.nodes.length + ')').join(' ') || 'none')`, true);
        if (violations !== 'none') failed = true;
      }
      if (sw > w) failed = true;
      console.log(`${w}\t${p}\t${sw}${sw > w ? ' TOO WIDE' : ''}\t${(bytes / 1024).toFixed(0)}\t${fonts}\t${violations}`);
      if (process.env.SHOTS) {
        const h = await evaluate('document.documentElement.scrollHeight');
        const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width: w, height: Math.min(h, 8000), scale: 1 } });
        fs.writeFileSync(path.join(process.env.SHOTS, `${w}${p.replace(/[^a-z0-9-]+/gi, '_')}.png`), Buffer.from(shot.result.data, 'base64'));
      }
    }
  }
  ws.close();
} finally {
  chrome.kill();
  await sleep(300);
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
