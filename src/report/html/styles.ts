/** The page's only stylesheet, inlined: system fonts, no external resources, print rules included. */
export const STYLES = `
:root {
  --ink: #16202c; --ink-2: #3d4a5c; --muted: #667385; --line: #dde3ea; --line-2: #eef1f5;
  --bg: #f3f5f8; --panel: #ffffff; --navy: #0e2238; --navy-2: #16324f; --accent: #2f6fde;
  --ok: #1f7a4d; --bad: #c0362c; --err: #c27c0e; --na: #8794a6; --wv: #5468d4;
  --ok-bg: #e6f4ec; --bad-bg: #fbe9e7; --err-bg: #fdf3e1; --na-bg: #eef1f5; --wv-bg: #eceffd;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12px; background: var(--line-2); border-radius: 3px; padding: 1px 4px; overflow-wrap: break-word; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.wrap { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.num { text-align: right; white-space: nowrap; }
.date, time { white-space: nowrap; }
table.fixed { table-layout: fixed; }
table.fixed code { overflow-wrap: anywhere; }

.masthead { background: linear-gradient(135deg, var(--navy), var(--navy-2)); color: #fff; padding: 22px 0 20px; }
.brand { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #a9bbd0; font-weight: 600; }
.brand .logo { color: #6fb1ff; }
.brand .sep { color: #5d7896; margin: 0 4px; }
.masthead h1 { margin: 6px 0 2px; font-size: 26px; font-weight: 650; letter-spacing: -.01em; }
.masthead .scope { margin: 0 0 12px; color: #c9d6e4; max-width: 820px; }
.verdict { display: inline-block; font-weight: 600; font-size: 13px; padding: 4px 12px; border-radius: 999px; margin: 4px 0 14px; }
.verdict.good { background: #d5f0e0; color: #0f5132; }
.verdict.bad { background: #fbd9d5; color: #8a1c14; }
.verdict.warn { background: #fde8bf; color: #7a4a00; }
.meta { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #93a9c1; }
.meta dd { margin: 0; font-weight: 600; }
.meta code { background: rgba(255,255,255,.12); color: #fff; }

.toc { background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.toc .wrap { display: flex; flex-wrap: wrap; gap: 2px 4px; padding-top: 6px; padding-bottom: 6px; }
.toc a { color: var(--ink-2); font-weight: 500; font-size: 13px; padding: 4px 10px; border-radius: 6px; }
.toc a:hover { background: var(--line-2); text-decoration: none; }

main { padding-top: 20px; padding-bottom: 12px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px 22px; margin-bottom: 18px; box-shadow: 0 1px 2px rgba(16,32,48,.04); }
.panel > h2 { margin: 0 0 10px; font-size: 19px; font-weight: 650; letter-spacing: -.005em; padding-bottom: 10px; border-bottom: 1px solid var(--line-2); }
h3.sub { font-size: 15px; margin: 22px 0 10px; }
.lead { font-size: 15px; color: var(--ink-2); margin: 4px 0 16px; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; background: #fbfcfd; }
.card h3 { margin: 0; font-size: 14px; font-weight: 650; }
.card .version { margin: 0 0 8px; font-size: 12px; color: var(--muted); }
.figure { margin: 0 0 8px; display: flex; align-items: baseline; gap: 6px; }
.figure .ratio { font-size: 26px; font-weight: 700; letter-spacing: -.01em; }
.figure .unit { color: var(--muted); font-size: 13px; }
.figure .pct { margin-left: auto; font-size: 15px; font-weight: 650; color: var(--ink-2); }
.bar { display: flex; height: 10px; border-radius: 5px; overflow: hidden; background: var(--line-2); }
.bar .seg { display: block; height: 100%; }
.legend { list-style: none; padding: 0; margin: 10px 0 0; display: grid; grid-template-columns: 1fr 1fr; gap: 2px 16px; font-size: 12px; color: var(--ink-2); }
.legend li { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.legend li .dot { margin-right: 0; flex: none; }
.legend b { margin-left: auto; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; vertical-align: 1px; }
.seg.st-satisfied, .dot.st-satisfied { background: var(--ok); }
.seg.st-not_satisfied, .dot.st-not_satisfied { background: var(--bad); }
.seg.st-error, .dot.st-error { background: var(--err); }
.seg.st-not_assessed, .dot.st-not_assessed { background: var(--na); }
.seg.st-waived, .dot.st-waived { background: var(--wv); }

.badge { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 999px; white-space: nowrap; border: 1px solid transparent; }
.badge.st-satisfied { background: var(--ok-bg); color: var(--ok); border-color: #bfe3cf; }
.badge.st-not_satisfied { background: var(--bad-bg); color: var(--bad); border-color: #f3c2bc; }
.badge.st-error { background: var(--err-bg); color: #8a5600; border-color: #f2d59f; }
.badge.st-not_assessed { background: var(--na-bg); color: #4f5b6b; border-color: #d6dce4; }
.badge.st-waived { background: var(--wv-bg); color: #3344a8; border-color: #cdd3f6; }
.badge.ev-missing, .badge.wv-expired, .badge.src-error { background: var(--bad-bg); color: var(--bad); border-color: #f3c2bc; }
.badge.ev-stale, .badge.src-partial { background: var(--err-bg); color: #8a5600; border-color: #f2d59f; }
.badge.wv-active { background: var(--wv-bg); color: #3344a8; border-color: #cdd3f6; }
.sev { display: inline-block; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; padding: 1px 7px; border-radius: 4px; color: #fff; }
.sev-critical { background: #8e1b12; } .sev-high { background: #d0452f; } .sev-medium { background: #d98a00; } .sev-low { background: #6b7a8f; }

.callout { border-left: 4px solid var(--accent); background: #eef4fe; padding: 9px 14px; border-radius: 0 6px 6px 0; margin: 14px 0 0; }
.callout.warn { border-color: var(--err); background: #fdf6e8; }
.callout.info { border-color: var(--wv); background: #f1f3fd; }
.callout.good { border-color: var(--ok); background: var(--ok-bg); }
.warn-text { color: #8a5600; }
.overdue { color: var(--bad); font-weight: 600; }
.overdue small { font-weight: 600; text-transform: uppercase; font-size: 10px; letter-spacing: .05em; margin-left: 2px; }

table.data { width: 100%; border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; }
table.data caption { caption-side: top; text-align: left; font-size: 12px; color: var(--muted); padding: 0 0 6px; }
table.data th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--ink-2); background: #f6f8fa; border-bottom: 1px solid var(--line); padding: 7px 10px; font-weight: 650; }
table.data tbody th { text-transform: none; letter-spacing: 0; font-size: 13px; background: transparent; white-space: nowrap; }
table.data td { border-bottom: 1px solid var(--line-2); padding: 8px 10px; vertical-align: top; }
table.data.compact td, table.data.compact th { padding: 5px 10px; }
table.data tbody tr:last-child td, table.data tbody tr:last-child th { border-bottom: 0; }
.risks .risk-text { margin: 0; font-weight: 500; }
.risks p.small { margin: 2px 0 0; }
.score { display: inline-block; min-width: 40px; text-align: center; font-weight: 700; border-radius: 4px; padding: 1px 6px; }

ul.resources, ul.plain, ul.refs { list-style: none; margin: 0; padding: 0; }
ul.resources li { margin: 0 0 4px; }
ul.resources .msg { display: block; color: var(--ink-2); font-size: 12px; }
ul.refs li { white-space: nowrap; }
table.fixed ul.refs li { white-space: normal; }
.fw { display: inline-block; font-size: 10.5px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }

.chart { margin: 6px 0 10px; }
.chart svg { display: block; max-width: 760px; }
.chart .grid { stroke: #e3e8ee; stroke-width: 1; }
.chart .axis { fill: #6b7789; font-size: 11px; }
.chart-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 4px 0 0; font-size: 12.5px; color: var(--ink-2); }
.swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid; margin-right: 6px; vertical-align: 3px; }
.swatch.dashed { border-top-style: dashed; }
.tiles { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 4px 0 12px; }
.tiles-group { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }
.tiles-group h4 { grid-column: 1 / -1; margin: 0; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fbfcfd; }
.tile .n { display: block; font-size: 22px; font-weight: 700; line-height: 1.1; }
.tile .l { font-size: 12px; color: var(--ink-2); }
.t-new .n, .t-regressed .n { color: var(--bad); }
.t-fixed .n { color: var(--ok); }
.t-still .n { color: #8a5600; }
.chg { font-size: 11.5px; font-weight: 650; }
.chg-regressed, .chg-new { color: var(--bad); }
.chg-fixed { color: var(--ok); }
.chg-still-failing, .chg-not-verifiable { color: #8a5600; }
.chg-changed, .chg-waived { color: var(--wv); }

.matrix-wrap { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
table.matrix { border-collapse: separate; border-spacing: 4px; }
table.matrix caption { caption-side: bottom; font-size: 12px; color: var(--muted); padding-top: 6px; text-align: left; }
table.matrix th { font-size: 12px; color: var(--ink-2); font-weight: 650; padding: 2px 6px; }
table.matrix th.axis-title { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
table.matrix tbody th { text-align: right; width: 90px; }
table.matrix td.cell { width: 62px; height: 50px; text-align: center; font-size: 18px; font-weight: 700; border-radius: 6px; }
table.matrix .zero { color: rgba(0,0,0,.22); font-weight: 400; }
.band-low { background: #e3f3e8; color: #1f5e3b; }
.band-medium { background: #fbf0c9; color: #6d5200; }
.band-high { background: #fbd9bb; color: #8a3b00; }
.band-critical { background: #f5c1bb; color: #85150d; }
table.matrix td.cell.hit { box-shadow: inset 0 0 0 2px rgba(0,0,0,.18); }
.matrix-list { flex: 1; min-width: 320px; }

h3.fw-title { font-size: 16px; margin: 22px 0 10px; padding-top: 4px; }
h3.fw-title .count { font-weight: 500; color: var(--muted); font-size: 13px; margin-left: 6px; }
article.req { border: 1px solid var(--line); border-left: 4px solid var(--bad); border-radius: 8px; padding: 12px 16px; margin: 0 0 12px; }
article.req header { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; }
article.req h4 { margin: 0; font-size: 14.5px; }
article.req .rid { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; background: var(--line-2); padding: 1px 6px; border-radius: 4px; margin-right: 4px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 26px; margin: 8px 0 4px; }
.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; font-size: 13px; }
.reason { margin: 6px 0; color: var(--ink-2); }

details.fw-all, details.more { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; padding: 0 12px; }
details.fw-all > summary, details.more > summary { cursor: pointer; padding: 10px 0; font-weight: 600; }
details[open] > summary { border-bottom: 1px solid var(--line-2); margin-bottom: 4px; }

.foot { color: var(--muted); font-size: 12px; padding: 6px 0 28px; }
.foot p { margin: 0 0 8px; }
.digests { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 4px 20px; margin: 0; }
.digests dt { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
.digests dd { margin: 0 0 4px; }
.digests code { font-size: 11px; background: none; padding: 0; }

@media (max-width: 720px) {
  .tiles { grid-template-columns: 1fr; }
  .wrap { padding: 0 14px; }
  .panel { padding: 16px; }
}

@media print {
  @page { size: A4; margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 11px; }
  .toc { display: none; }
  .masthead { background: #fff; color: var(--ink); padding: 0 0 8px; border-bottom: 2px solid var(--navy); }
  .masthead .scope, .meta dt, .brand { color: var(--muted); }
  .meta code { background: var(--line-2); color: var(--ink); }
  .wrap { max-width: none; padding: 0; }
  main { padding-top: 10px; }
  .panel { border: 0; box-shadow: none; padding: 0; margin: 0 0 14px; border-radius: 0; }
  .panel > h2 { break-after: avoid; page-break-after: avoid; border-bottom: 1px solid var(--ink); }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  .cards { grid-template-columns: repeat(2, 1fr); }
  .card, article.req, table.matrix, .tile, tr, .callout, .chart { break-inside: avoid; page-break-inside: avoid; }
  #findings, #all-requirements { break-before: page; page-break-before: always; }
  thead { display: table-header-group; }
  a { color: inherit; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  .foot { padding: 8px 0 0; border-top: 1px solid var(--line); }
}
`;
