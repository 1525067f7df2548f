/**
 * The monitor's page: one HTML document and one script, embedded as strings so that `dist/` is
 * self-contained (tsc copies no non-TS files). No build step, no framework: uPlot (served from
 * node_modules at /uplot.js) draws the charts, and `/ws` pushes one sample per interval.
 * The script is served separately (/page.js) so the Content-Security-Policy can forbid inline
 * script altogether.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>thalex-quoter monitor</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/uplot.css">
<style>
  body { font: 13px/1.4 system-ui, sans-serif; margin: 0; background: #111418; color: #d8dde3; }
  header { display: flex; gap: 24px; align-items: baseline; padding: 10px 16px; background: #1b2027; flex-wrap: wrap; }
  header b { font-size: 15px; }
  .num { font: 600 15px ui-monospace, monospace; }
  #state[data-state=quoting] { color: #5fd37a; } #state[data-state=halted], #state[data-state=stopped] { color: #ff6b6b; }
  #state[data-state=reconnecting], #state[data-state=connecting], #state[data-state=bootstrapping] { color: #f2c14e; }
  #conn[data-live=no] { color: #ff6b6b; }
  /* Three columns from ~1380 px: the whole page fits a 1400×1000 window. Narrower, the columns
     wrap; every section keeps a bounded height and scrolls by itself, so a long table or many
     instruments never push the charts off screen. */
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 10px; padding: 10px 12px; }
  section { background: #1b2027; border-radius: 6px; padding: 6px 10px; position: relative; }
  /* Tables and the book scroll inside their own section; chart sections do not clip (their
     hover explanations reach over the neighbours). */
  section.scroll { max-height: 420px; overflow: auto; }
  section.wide { grid-column: 1 / -1; max-height: 330px; overflow: auto; }
  h2 { font-size: 13px; margin: 0 0 6px; color: #9aa5b1; font-weight: 600; }
  .tip { position: relative; display: inline-block; margin-left: 6px; width: 15px; height: 15px; line-height: 15px; text-align: center;
         border-radius: 50%; background: #2a313a; color: #d8dde3; font-size: 11px; cursor: help; }
  .tip .tiptext { visibility: hidden; position: absolute; z-index: 10; left: 0; top: 20px; width: 380px; padding: 8px 10px; border-radius: 4px;
         background: #2a313a; color: #d8dde3; font-weight: normal; text-align: left; line-height: 1.4; box-shadow: 0 2px 8px #0008; }
  .tip:hover .tiptext, .tip:focus .tiptext { visibility: visible; }
  .empty { position: absolute; left: 0; right: 0; top: 45%; text-align: center; color: #6b7682; font-size: 14px; pointer-events: none; }
  h2.bar { display: flex; align-items: center; } .toggle { margin-left: auto; white-space: nowrap; } .toggle button { padding: 0 6px; font-size: 11px; } .toggle button[aria-pressed=true] { background: #4e9af1; color: #111418; }
  #book-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 4px 10px; }
  td.none { text-align: left; color: #6b7682; }
  table { border-collapse: collapse; width: 100%; font: 12px ui-monospace, monospace; }
  td, th { padding: 2px 6px; text-align: right; border-bottom: 1px solid #2a313a; } td:first-child, th:first-child { text-align: left; }
  .u-legend { font-size: 11px; } .u-legend th { font-weight: normal; }
  form { display: flex; gap: 8px; } input { flex: 1; background: #111418; color: inherit; border: 1px solid #39414b; padding: 3px 6px; }
  button { background: #2a313a; color: inherit; border: 1px solid #39414b; padding: 3px 10px; cursor: pointer; }
  #kill { border-color: #ff6b6b; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>
  <b>thalex-quoter</b>
  <span>state <span id="state" class="num">–</span></span>
  <span>reconnects <span id="reconnects" class="num">–</span></span>
  <span>quotes sent <span id="quotes-sent" class="num">–</span></span>
  <span>quotes/s <span id="quotes-per-sec" class="num">–</span></span>
  <span>fills <span id="fills" class="num">–</span></span>
  <span>protection trips <span id="trips" class="num">–</span></span>
  <span>monitor <span id="conn" class="num" data-live="no">connecting</span></span>
</header>
<main>
  <section><h2>Quote RTT and tick-to-wire over time (µs, log)<span class="tip" tabindex="0" id="tip-latency-anchor">?<span class="tiptext" role="tooltip" id="tip-latency">
    <b>Quote RTT</b>: from just before a private/mass_quote frame is written to the socket until its reply has been read: the network both ways
    plus the venue's own work on the quote. <b>Tick-to-wire</b>: from reading a ticker frame until the mass_quote it caused is written: the
    engine's reaction (decode, pricing, risk checks, encode), no network. Each point: percentiles of the engine's recent window (the last 30-60 s),
    so a spike shows when it happens and fades after.</span></span></h2><div id="chart-latency"></div><div class="empty" id="empty-latency">none yet</div></section>
  <section><h2 class="bar">Latency percentiles (HDR, µs, log)<span class="tip" tabindex="0" id="tip-dist-anchor">?<span class="tiptext" role="tooltip" id="tip-dist">
    The whole distribution at once: x is 1/(1-p), so 90 %, 99 %, 99.9 % are evenly spaced and the tail gets the room. <b>Recent</b>: the engine's
    last 30-60 s; <b>since start</b>: everything since the engine started. Quote RTT and tick-to-wire as in the chart on the left; cancel RTT is a
    cancel_mass_quote's round trip, pricing the pricer's time per tick.</span></span>
    <span class="toggle"><button type="button" id="dist-recent" aria-pressed="true">recent</button><button type="button" id="dist-total" aria-pressed="false">since start</button></span></h2>
    <div id="chart-dist"></div><div class="empty" id="empty-dist">none yet</div></section>
  <section><h2>Quotes and errors per second</h2><div id="chart-rate"></div></section>
  <section class="scroll"><h2>Errors by Thalex code</h2><table id="errors"><thead><tr><th>code</th><th>sides</th><th>requests</th></tr></thead><tbody></tbody></table>
    <h2 style="margin-top:10px">Risk pulls</h2><table id="risk"><tbody></tbody></table></section>
  <section class="scroll"><h2>Positions</h2><table id="positions"><tbody></tbody></table>
    <h2 style="margin-top:10px">Protection</h2><table id="protection"><tbody></tbody></table></section>
  <section class="scroll"><h2>Kill switch</h2>
    <form id="killform"><input id="token" type="password" autocomplete="off" placeholder="token (printed at start)">
    <button id="kill" type="button">Kill</button><button id="resume" type="button">Resume</button></form>
    <div id="killresult"></div>
    <h2 style="margin-top:10px">Book: market vs ours</h2>
    <table id="book"><thead><tr><th>instrument</th><th>mkt bid</th><th>our bid</th><th>our ask</th><th>mkt ask</th></tr></thead><tbody></tbody></table></section>
  <section id="book-section" class="wide" hidden><h2>Book over time: market vs ours</h2><div id="book-charts"></div></section>
</main>
<script src="/uplot.js"></script>
<script src="/page.js"></script>
</body>
</html>
`;

export const PAGE_JS = `'use strict';
(() => {
  const KEEP = 300;               // points per time chart (5 minutes at 1/s)
  const BOOK_CHARTS = 6;          // instruments that get a chart; the table lists all
  // The sample's summary percentiles: the distribution chart's fallback when a source sends no
  // distribution (no latencyDistribution(), or no histograms yet).
  const SUMMARY = { percentiles: [50, 90, 99, 99.9, 100], fields: ['p50', 'p90', 'p99', 'p999', 'max'] };
  const DIST = ['quoteRtt', 'tickToWire', 'cancelRtt', 'pricing'];
  const COLORS = ['#4e9af1', '#f2c14e', '#ff6b6b', '#5fd37a', '#c58af9', '#f28e2b'];
  const $ = (id) => document.getElementById(id);
  const W = () => Math.max(360, Math.min(760, (document.querySelector('section') || document.body).clientWidth - 24));
  const debug = { samples: 0, lastT: 0, messages: 0, charts: {} };
  window.__monitor = debug;

  const Y = { stroke: '#9aa5b1', size: 70 }; // wide enough for prices like 65,020.5
  const series = (label, i, extra) => Object.assign({ label, stroke: COLORS[i % COLORS.length], width: 1.5 }, extra || {});
  // µs over six decades: 100, 10k, 1M fit the axis where 1,000,000 does not
  const si = (v) => (v == null ? '' : v >= 1e6 ? +(v / 1e6).toPrecision(3) + 'M' : v >= 1e3 ? +(v / 1e3).toPrecision(3) + 'k' : String(+v.toPrecision(3)));
  // Log y: a p50 of tens of µs and a p99.9 of a hundred ms both stay readable.
  const latency = new uPlot({ width: W(), height: 200, scales: { x: { time: true }, y: { distr: 3, log: 10 } },
    series: [{}, series('RTT p50', 0), series('RTT p99', 1), series('RTT p99.9', 2),
             series('t2w p50', 3, { dash: [4, 3] }), series('t2w p99', 4, { dash: [4, 3] }), series('t2w p99.9', 5, { dash: [4, 3] })],
    axes: [{ stroke: '#9aa5b1' }, Object.assign({}, Y, { values: (u, vs) => vs.map((v) => si(v)) })] }, [[], [], [], [], [], [], []], $('chart-latency'));
  // The HDR percentile plot: x = 1/(1-p) on a log axis, so 90%, 99%, 99.9%, 99.99% are evenly
  // spaced and the tail gets the room; the max (p = 100, x = infinity) sits one decade past the
  // last finite percentile, at the right edge.
  let distMaxX = 1e5;
  const px = (p) => 1 / (1 - p / 100);
  const distX = (ps) => {
    let last = 1;
    for (const p of ps) if (p < 100) last = Math.max(last, px(p));
    distMaxX = last * 10;
    return ps.map((p) => (p >= 100 ? distMaxX : px(p)));
  };
  const pctLabel = (x) => {
    if (x == null) return '';
    if (x >= distMaxX * 0.999) return 'max';
    const p = 100 - 100 / x;
    return (p < 0.001 ? 0 : +p.toPrecision(Math.max(2, Math.ceil(Math.log10(x)) + 1))) + '%';
  };
  const DIST_TICKS = [1, 2, 10, 100, 1e3, 1e4, 1e5, 1e6];
  const dot = { points: { show: true, size: 5 } };
  const dist = new uPlot({ width: W(), height: 200,
    scales: { x: { time: false, distr: 3, log: 10, range: () => [1, distMaxX] }, y: { distr: 3, log: 10 } },
    series: [{ label: 'percentile', value: (u, v) => (v == null ? '' : pctLabel(v)) },
             series('quote RTT', 0, Object.assign({ width: 2 }, dot)), series('tick-to-wire', 3, Object.assign({ width: 2 }, dot)),
             series('cancel RTT', 1, Object.assign({ dash: [4, 3] }, dot)), series('pricing', 4, Object.assign({ dash: [4, 3] }, dot))],
    axes: [{ stroke: '#9aa5b1', space: 30, filter: (u, xs) => xs, // label every split (a log axis labels powers of 10 only)
             // 0 % and 50 % sit close together on a log axis: below ~520 px only one of them is labelled.
             splits: (u, i, min, max) => DIST_TICKS.filter((x) => x >= min * 0.999 && x < distMaxX * 0.999 && (x !== 2 || u.width >= 520)).concat([distMaxX]),
             values: (u, xs) => xs.map(pctLabel) }, Object.assign({}, Y, { values: (u, vs) => vs.map(si) })] },
    [[], [], [], [], []], $('chart-dist'));
  const rate = new uPlot({ width: W(), height: 200, scales: { x: { time: true } },
    series: [{}, series('quotes/s', 0), series('errors/s', 2)], axes: [{ stroke: '#9aa5b1' }, Y] },
    [[], [], []], $('chart-rate'));
  debug.charts = { latency, dist, rate }; // for the browser tests (and a curious console); book charts join as 'book:<name>'
  const timeData = { latency: [[], [], [], [], [], [], []], rate: [[], [], []] };
  const bookCharts = new Map();

  function push(arr, v) { arr.push(v); if (arr.length > KEEP) arr.shift(); }
  function text(id, v) { const e = $(id); if (e.textContent !== String(v)) e.textContent = String(v); }
  function fmt(n) { return Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2)) : '–'; }
  function rows(tbody, list) {
    if (list.length === 0) {
      // An empty panel says so rather than look broken.
      const tr = document.createElement('tr'); const td = document.createElement('td');
      td.className = 'none'; td.colSpan = 5; td.textContent = 'none'; tr.append(td);
      tbody.replaceChildren(tr);
      return;
    }
    tbody.replaceChildren(...list.map((cells) => {
      const tr = document.createElement('tr');
      for (const c of cells) { const td = document.createElement('td'); td.textContent = String(c); tr.append(td); }
      return tr;
    }));
  }
  const pos = (v) => v > 0 ? v : null; // log scale: a zero (no data yet) is left out, not drawn at -inf

  let distWindow = 'recent';
  /** [x, quote RTT, tick-to-wire, cancel RTT, pricing] for the distribution chart. */
  function distData(s) {
    const recent = distWindow === 'recent' && s.recentDistribution && s.recentLatency;
    const d = recent ? s.recentDistribution : s.distribution;
    const ls = recent ? s.recentLatency : s.latency;
    // An empty histogram reads zeros at every percentile: no line rather than a fake one.
    if (d) return [distX(d.percentiles)].concat(DIST.map((k) => d[k].map((v) => (ls[k].count ? pos(v) : null))));
    return [distX(SUMMARY.percentiles)].concat(DIST.map((k) => SUMMARY.fields.map((f) => (ls[k].count ? pos(ls[k][f]) : null))));
  }

  function bookChart(name) {
    let c = bookCharts.get(name);
    if (c === undefined && bookCharts.size < BOOK_CHARTS) {
      const el = document.createElement('div');
      el.dataset.instrument = name;
      const h = document.createElement('h2'); h.textContent = name; el.append(h);
      $('book-charts').append(el);
      const data = [[], [], [], [], []];
      const plot = new uPlot({ width: W(), height: 150, scales: { x: { time: true } },
        series: [{}, series('mkt bid', 0), series('our bid', 3, { dash: [4, 3] }), series('our ask', 2, { dash: [4, 3] }), series('mkt ask', 1)],
        axes: [{ stroke: '#9aa5b1' }, Y] }, data, el);
      c = { plot, data };
      bookCharts.set(name, c);
      debug.charts['book:' + name] = plot;
    }
    return c;
  }

  let lastSample = null;
  function apply(s, redraw) {
    const x = s.t / 1000;
    // Over time: the recent window's percentiles (since-start ones barely move after a while).
    const lat = s.recentLatency || s.latency;
    const q = lat.quoteRtt, w = lat.tickToWire;
    const L = timeData.latency;
    push(L[0], x);
    // An empty histogram reports zeros: leave a gap rather than draw a fake zero latency.
    [q.p50, q.p99, q.p999].forEach((v, i) => push(L[i + 1], q.count ? pos(v) : null));
    [w.p50, w.p99, w.p999].forEach((v, i) => push(L[i + 4], w.count ? pos(v) : null));
    const R = timeData.rate;
    push(R[0], x); push(R[1], s.quotesPerSec); push(R[2], s.errorsPerSec);
    if (s.book) {
      for (const b of s.book) {
        const c = bookChart(b.instrument);
        if (c) [x, b.marketBid, b.ourBid, b.ourAsk, b.marketAsk].forEach((v, i) => push(c.data[i], v ?? null));
      }
    }
    lastSample = s;
    if (!redraw) return;
    latency.setData(L); rate.setData(R);
    const dd = distData(s);
    dist.setData(dd);
    $('empty-latency').hidden = L.slice(1).some((a) => a.some((v) => v != null));
    $('empty-dist').hidden = dd.slice(1).some((a) => a.some((v) => v != null));
    for (const c of bookCharts.values()) c.plot.setData(c.data);

    const st = $('state'); text('state', s.state); st.dataset.state = s.state;
    text('reconnects', s.reconnects); text('quotes-sent', s.quotesSent); text('quotes-per-sec', fmt(s.quotesPerSec ?? NaN));
    text('fills', s.fills); text('trips', s.protectionTrips);
    const codes = [...new Set([...Object.keys(s.sideErrors), ...Object.keys(s.requestErrors)])].sort((a, b) => a - b);
    rows($('errors').tBodies[0], codes.map((c) => [c, s.sideErrors[c] || 0, s.requestErrors[c] || 0]));
    rows($('risk').tBodies[0], Object.entries(s.riskPulls));
    rows($('positions').tBodies[0], Object.entries(s.positions));
    rows($('protection').tBodies[0], Object.entries(s.protection));
    $('book-section').hidden = !s.book || s.book.length === 0;
    rows($('book').tBodies[0], (s.book || []).map((b) => [b.instrument, fmt(b.marketBid ?? NaN), fmt(b.ourBid ?? NaN), fmt(b.ourAsk ?? NaN), fmt(b.marketAsk ?? NaN)]));
    debug.samples++; debug.lastT = s.t;
    document.body.dataset.samples = String(debug.samples);
  }

  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.onopen = () => { text('conn', 'live'); $('conn').dataset.live = 'yes'; };
    ws.onmessage = (ev) => {
      debug.messages++;
      const m = JSON.parse(ev.data);
      if (m.type === 'history') {
        for (const k of Object.keys(timeData)) for (const a of timeData[k]) a.length = 0;
        for (const c of bookCharts.values()) for (const a of c.data) a.length = 0;
        m.samples.forEach((s, i) => apply(s, i === m.samples.length - 1));
      } else if (m.type === 'sample') apply(m.sample, true);
    };
    ws.onclose = () => { text('conn', 'disconnected'); $('conn').dataset.live = 'no'; setTimeout(connect, 1000); };
  }
  connect();

  async function control(path) {
    const res = await fetch(path, { method: 'POST', headers: { Authorization: 'Bearer ' + $('token').value } });
    text('killresult', path + ': ' + res.status + ' ' + (await res.text()));
  }
  function setWindow(w) {
    distWindow = w;
    $('dist-recent').setAttribute('aria-pressed', String(w === 'recent'));
    $('dist-total').setAttribute('aria-pressed', String(w === 'total'));
    if (lastSample) { const dd = distData(lastSample); dist.setData(dd); $('empty-dist').hidden = dd.slice(1).some((a) => a.some((v) => v != null)); }
  }
  $('dist-recent').onclick = () => setWindow('recent');
  $('dist-total').onclick = () => setWindow('total');
  $('kill').onclick = () => { void control('/kill'); };
  $('resume').onclick = () => { void control('/resume'); };
})();
`;
