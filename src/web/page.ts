import type { Coverage } from './coverage.js';
import { renderHeatmapSvg, STATUS_COLOR } from './heatmap-svg.js';
import { esc } from './html.js';
import type { DatasetFreshness, FreshnessRow, LogView, NodeStatus, VendorStatus } from './status.js';

export interface DashboardView {
  status: NodeStatus;
  /** One band per dataset, drawn on shared week columns. */
  coverage: Coverage[];
  freshness: FreshnessRow[];
  decisions: LogView[];
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:16px;max-width:1100px;color:#1f2328;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px}
.muted{color:#57606a}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #d0d7de}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.bar{background:#eaeef2;height:8px;width:120px;display:inline-block;vertical-align:middle}
.bar i{display:block;height:8px;background:#0969da}.frozen{color:#cf222e;font-weight:600}
.heatmap rect.cell{cursor:pointer}.heatmap rect.cell:hover{stroke:#1f2328}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;border-radius:2px}
#detail{min-height:1.4em;margin-top:6px;font-family:ui-monospace,monospace;font-size:13px}
.scroll{overflow-x:auto}td.at{white-space:nowrap}.band h3{font-size:14px;margin:10px 0 2px}.band h3 span{font-weight:400}td.detail{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}`;

const SCRIPT = `
document.querySelectorAll('rect.cell').forEach(function (cell) {
  cell.addEventListener('click', function () {
    var d = cell.dataset, band = cell.closest('svg');
    document.getElementById('detail').textContent = (band && band.dataset.dataset ? band.dataset.dataset + '  ' : '') + d.date + '  ' + d.status + '  rows ' + d.rows + ' / expected ' + d.expected +
      (d.vendors ? '  vendors ' + d.vendors : '') + (d.reason ? '  reason: ' + d.reason : '');
  });
});`;

/** The whole dashboard as one server-rendered page: no build step, no external assets. */
export function renderPage(view: DashboardView): string {
  const { status } = view;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>trademl dashboard</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
<h1>trademl</h1>
<div class="muted">as of ${esc(status.at)} · budget day ${esc(status.day)} (UTC) · read-only</div>
<h2>Coverage</h2>
${legend()}
<div id="detail" class="muted">click a cell for its rows, expected rows, vendors and reason</div>
${coverageBands(view.coverage)}
<h2>Datasets</h2>
${datasetTable(status.datasets)}
<h2>Vendors</h2>
${vendorTable(status.vendors)}
<h2>Queue</h2>
${queueSection(status)}
<h2>Freshness</h2>
${freshnessTable(view.freshness)}
<h2>Recent problems</h2>
${logTable('problems', status.recentProblems)}
<h2>Scheduler decisions</h2>
${logTable('decisions', view.decisions)}
<script>${SCRIPT}</script>
</body></html>
`;
}

/** The heatmap alone as a standalone page (`trademl coverage --html`): no server, no external assets. */
export function renderCoveragePage(coverage: Coverage, generatedAt: string): string {
  const s = coverage.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>trademl coverage: ${esc(coverage.dataset)}</title><style>${STYLE}</style></head>
<body>
<h1>Coverage: ${esc(coverage.dataset)}</h1>
<div class="muted">generated ${esc(generatedAt)}${coverage.since ? ` · since ${esc(coverage.since)}` : ''}</div>
<div id="coverage-summary">${s.green}/${s.sessions} sessions GREEN · ${s.amber} AMBER · ${s.red} RED</div>
<div class="scroll">${renderHeatmapSvg(coverage.cells, { title: `coverage ${coverage.dataset}` })}</div>
${legend()}
<div id="detail" class="muted">click a cell for its rows, expected rows, vendors and reason</div>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** One calendar band per dataset; all start on the same week so a date lines up across bands. */
function coverageBands(bands: Coverage[]): string {
  const firsts = bands.map((b) => b.cells[0]?.date).filter((d): d is string => d !== undefined);
  const from = firsts.length === 0 ? undefined : firsts.reduce((a, b) => (a < b ? a : b));
  return `<div id="coverage" class="scroll">${bands
    .map((band) => {
      const s = band.summary;
      const svg = renderHeatmapSvg(band.cells, { title: `coverage ${band.dataset}`, dataset: band.dataset, ...(from ? { from } : {}) });
      return `<div class="band" data-dataset="${esc(band.dataset)}"><h3>${esc(band.dataset)} <span class="muted coverage-summary">${s.green}/${s.sessions} sessions GREEN · ${s.amber} AMBER · ${s.red} RED${band.since ? ` · since ${esc(band.since)}` : ''}</span></h3>${svg}</div>`;
    })
    .join('\n')}</div>`;
}

function datasetTable(rows: DatasetFreshness[]): string {
  if (rows.length === 0) return '<div id="datasets" class="muted">no ledger yet (run an audit)</div>';
  const body = rows
    .map(
      (r) =>
        `<tr data-dataset="${esc(r.dataset)}" data-latest-green="${esc(r.latestGreen ?? '')}" data-behind="${r.sessionsBehind}"><td>${esc(r.dataset)}</td>` +
        `<td class="n">${r.green}/${r.sessions}</td><td class="n">${r.amber}</td><td class="n">${r.red}</td><td class="n">${r.unavailable}</td>` +
        `<td>${esc(r.latestGreen ?? 'never')}</td><td>${esc(r.lastSession ?? '')}</td><td class="n${r.sessionsBehind > 0 ? ' frozen' : ''}">${r.sessionsBehind}</td></tr>`,
    )
    .join('');
  return `<table id="datasets"><thead><tr><th>dataset</th><th class="n">GREEN</th><th class="n">AMBER</th><th class="n">RED</th><th class="n">unavailable</th><th>latest GREEN</th><th>last audited</th><th class="n">sessions behind</th></tr></thead><tbody>${body}</tbody></table>`;
}

function legend(): string {
  return `<div class="legend muted">${(['GREEN', 'AMBER', 'RED', 'UNAVAILABLE'] as const).map((k) => `<span style="background:${STATUS_COLOR[k]}"></span>${k}`).join('')}</div>`;
}

function vendorTable(vendors: VendorStatus[]): string {
  const rows = vendors.map((v) => {
    const share = v.dailyBudget ? Math.min(1, v.spentToday / v.dailyBudget) : 0;
    return (
      `<tr data-vendor="${esc(v.vendor)}" data-spent="${v.spentToday}" data-budget="${v.dailyBudget ?? ''}" data-minute="${v.lastMinuteRequests}" data-rpm="${v.rpm ?? ''}">` +
      `<td>${esc(v.vendor)}</td><td class="n">${v.spentToday}</td><td class="n">${v.dailyBudget ?? '∞'}</td>` +
      `<td><span class="bar"><i style="width:${(share * 100).toFixed(1)}%"></i></span></td>` +
      `<td class="n">${v.lastMinuteRequests} / ${v.rpm ?? '–'}</td>` +
      `<td>${v.frozenUntil ? `<span class="frozen">until ${esc(v.frozenUntil)}</span> ${esc(v.frozenReason ?? '')}` : 'no'}</td>` +
      `<td class="n">${v.consecutiveErrors}</td>` +
      `<td class="denied">${v.denied.map((d) => `<span title="${esc(d.reason ?? '')}">${esc(d.endpoint)}${d.until ? ` until ${esc(d.until)}` : ''}</span>`).join('<br>')}</td></tr>`
    );
  });
  return `<table id="vendors"><thead><tr><th>vendor</th><th class="n">spent today</th><th class="n">daily budget</th><th>used</th><th class="n">last 60 s / rpm</th><th>frozen</th><th class="n">errors in a row</th><th>refused endpoints</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

function queueSection(status: NodeStatus): string {
  const q = status.queue;
  const unit = q.oldest;
  const oldest =
    unit === null
      ? 'none waiting'
      : `oldest waiting ${formatAge(unit.waitingMs)}: <span id="oldest-unit">${esc(unit.vendor)} ${esc(unit.identity)}</span>${unit.notBefore ? ` (not before ${esc(unit.notBefore)})` : ''}${unit.deferReason ? ` · ${esc(unit.deferReason)}` : ''}`;
  const byPriority = q.byPriority.map((p) => `<tr><td class="n">${p.priority}</td><td class="n">${p.queued}</td></tr>`).join('');
  return `<div id="queue">${q.byStatus.queued} queued (${q.ready} ready) · ${q.byStatus.leased} leased · ${q.byStatus.done} done · ${q.byStatus.dead} dead · ${oldest}</div>
${byPriority ? `<table><thead><tr><th class="n">priority</th><th class="n">queued</th></tr></thead><tbody>${byPriority}</tbody></table>` : ''}`;
}

function freshnessTable(rows: FreshnessRow[]): string {
  if (rows.length === 0) return '<div class="muted">no raw partitions yet</div>';
  const body = rows.map((r) => `<tr><td>${esc(r.dataset)}</td><td>${esc(r.vendor)}</td><td>${esc(r.latestDate)}</td><td class="n">${r.partitions}</td></tr>`).join('');
  return `<table id="freshness"><thead><tr><th>dataset</th><th>vendor</th><th>latest partition</th><th class="n">partitions</th></tr></thead><tbody>${body}</tbody></table>`;
}

function logTable(id: string, entries: LogView[]): string {
  if (entries.length === 0) return `<div id="${id}" class="muted">none</div>`;
  const body = entries
    .map((e) => `<tr><td class="at">${esc(e.at)}</td><td>${esc(e.level)}</td><td>${esc(e.vendor ?? '')}</td><td>${esc(e.event)}</td><td class="detail">${esc(JSON.stringify(e.detail))}</td></tr>`)
    .join('');
  return `<table id="${id}"><thead><tr><th>at</th><th>level</th><th>vendor</th><th>event</th><th>detail</th></tr></thead><tbody>${body}</tbody></table>`;
}

function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
