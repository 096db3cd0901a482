/**
 * OUT/report.html of `stelp bench`: one self-contained page (inline CSS and inline SVG drawn here; no
 * scripts, no external resources). Every figure carries data attributes with the exact numbers of
 * summary.json, so that a test (or a reader's script) can check the page against it:
 *
 *   data-metric="tbr"|"tar"            data-category, data-value (rate), data-n, data-count
 *   data-metric="baseline-tbr"|"baseline-tar"   the same for the --compare baseline
 *   data-metric="outcome"              data-outcome, data-value (items)
 *   data-metric="rule"                 data-outcome (blocked-check|blocked-audit), data-rule, data-value
 *   data-metric="bound"                data-bound, data-value
 *   data-metric="latency"              data-stage, data-percentile (p50|p95|p99), data-value (ms)
 *   data-metric="latency-bin"          data-from, data-to (ms), data-value (items)
 */
import { SAFETY_OUTCOMES, type ExpectationSummary } from "../safety/summary.js";
import { STAGES, type BenchSummaryDocument } from "./results.js";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const attr = (value: string | number) => escapeHtml(String(value));
const pct = (rate: number | null) => (rate === null ? "–" : `${(100 * rate).toFixed(1)}%`);
const fmtMs = (ms: number | null) => (ms === null ? "–" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

const OUTCOME_COLOURS: Record<string, string> = {
  "blocked-check": "#2f7d32",
  "blocked-audit": "#5b9b3c",
  contained: "#1f6fb2",
  completed: "#8a8a8a",
  escaped: "#c62828",
  "internal-error": "#e0a100",
};

/** Horizontal bars of a rate per category (plus total), optionally with the baseline's bar under each. */
function rateChart(part: ExpectationSummary, metric: "tbr" | "tar", baseline?: ExpectationSummary): string {
  const rows = [...part.categories, { category: "total", n: part.n, blocked: part.blocked, allowed: part.allowed, escaped: part.escaped, rate: part.rate }];
  const baseRows = new Map((baseline ? [...baseline.categories, { category: "total", n: baseline.n, blocked: baseline.blocked, allowed: baseline.allowed, escaped: baseline.escaped, rate: baseline.rate }] : []).map((r) => [r.category, r]));
  const labelWidth = Math.min(320, Math.max(120, ...rows.map((r) => r.category.length * 7 + 16)));
  const barMax = 420;
  const barH = 16;
  const rowH = baseline ? 2 * barH + 12 : barH + 10;
  const height = rows.length * rowH + 24;
  const width = labelWidth + barMax + 150;
  const count = metric === "tbr" ? "blocked" : "allowed";
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${metric.toUpperCase()} per category">`);
  for (const x of [0, 0.25, 0.5, 0.75, 1]) {
    const gx = labelWidth + x * barMax;
    parts.push(`<line x1="${gx}" y1="4" x2="${gx}" y2="${height - 18}" class="grid"/><text x="${gx}" y="${height - 4}" class="axis" text-anchor="middle">${x * 100}%</text>`);
  }
  rows.forEach((row, i) => {
    const y = 6 + i * rowH;
    const isTotal = row.category === "total";
    parts.push(`<text x="${labelWidth - 8}" y="${y + barH - 4}" text-anchor="end" class="label${isTotal ? " total" : ""}">${escapeHtml(row.category)}</text>`);
    const w = row.rate === null ? 0 : row.rate * barMax;
    parts.push(
      `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(2)}" height="${barH}" class="bar ${metric}" data-metric="${metric}" data-category="${attr(row.category)}" data-value="${row.rate === null ? "" : row.rate}" data-n="${row.n}" data-count="${row[count]}"><title>${escapeHtml(`${row.category}: ${row[count]}/${row.n} = ${pct(row.rate)}`)}</title></rect>`,
      `<text x="${labelWidth + w + 6}" y="${y + barH - 4}" class="value">${pct(row.rate)} (${row[count]}/${row.n})</text>`,
    );
    const base = baseRows.get(row.category);
    if (base) {
      const by = y + barH + 3;
      const bw = base.rate === null ? 0 : base.rate * barMax;
      parts.push(
        `<rect x="${labelWidth}" y="${by}" width="${bw.toFixed(2)}" height="${barH}" class="bar baseline" data-metric="baseline-${metric}" data-category="${attr(base.category)}" data-value="${base.rate === null ? "" : base.rate}" data-n="${base.n}" data-count="${base[count]}"><title>${escapeHtml(`baseline ${base.category}: ${base[count]}/${base.n} = ${pct(base.rate)}`)}</title></rect>`,
        `<text x="${labelWidth + bw + 6}" y="${by + barH - 4}" class="value baseline-text">baseline ${pct(base.rate)}</text>`,
      );
    }
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}

function outcomeChart(doc: BenchSummaryDocument): string {
  const entries = SAFETY_OUTCOMES.map((o) => [o, doc.summary.outcomes[o]] as const);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const labelWidth = 130;
  const barMax = 400;
  const rowH = 24;
  const height = entries.length * rowH + 8;
  const width = labelWidth + barMax + 80;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="outcomes">`];
  entries.forEach(([outcome, value], i) => {
    const y = 4 + i * rowH;
    const w = (value / max) * barMax;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" class="label">${outcome}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(2)}" height="17" fill="${OUTCOME_COLOURS[outcome]}" data-metric="outcome" data-outcome="${outcome}" data-value="${value}"><title>${outcome}: ${value}</title></rect>`,
      `<text x="${labelWidth + w + 6}" y="${y + 13}" class="value">${value}</text>`,
    );
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}

function histogramChart(doc: BenchSummaryDocument): string {
  const bins = doc.histogram;
  if (bins.length === 0) return `<p class="note">no timings</p>`;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const plotW = 600;
  const plotH = 180;
  const left = 44;
  const top = 10;
  const barW = plotW / bins.length;
  const width = left + plotW + 20;
  const height = top + plotH + 44;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="histogram of total latency">`];
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" class="axis-line"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" class="axis-line"/>`);
  parts.push(`<text x="${left - 6}" y="${top + 8}" text-anchor="end" class="axis">${max}</text><text x="${left - 6}" y="${top + plotH}" text-anchor="end" class="axis">0</text>`);
  bins.forEach((bin, i) => {
    const h = (bin.count / max) * plotH;
    const x = left + i * barW;
    parts.push(
      `<rect x="${(x + 1).toFixed(2)}" y="${(top + plotH - h).toFixed(2)}" width="${Math.max(1, barW - 2).toFixed(2)}" height="${h.toFixed(2)}" class="bar hist" data-metric="latency-bin" data-from="${bin.from}" data-to="${bin.to}" data-value="${bin.count}"><title>${fmtMs(bin.from)} – ${fmtMs(bin.to)}: ${bin.count}</title></rect>`,
    );
  });
  const ticks = bins.length >= 4 ? [0, Math.floor(bins.length / 2)] : [0];
  for (const i of [...new Set(ticks)]) parts.push(`<text x="${left + i * barW}" y="${top + plotH + 16}" class="axis">${fmtMs(bins[i]!.from)}</text>`);
  parts.push(`<text x="${left + plotW}" y="${top + plotH + 16}" text-anchor="end" class="axis">${fmtMs(bins[bins.length - 1]!.to)}</text>`);
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle" class="axis">total latency per item (log scale)</text></svg>`);
  return parts.join("\n");
}

function latencyTable(doc: BenchSummaryDocument): string {
  const rows = STAGES.map((stage) => {
    const s = doc.latency[stage];
    const cell = (p: "p50" | "p95" | "p99") => `<td data-metric="latency" data-stage="${stage}" data-percentile="${p}" data-value="${s[p] ?? ""}">${fmtMs(s[p])}</td>`;
    return `<tr><th>${stage}</th><td>${s.n}</td>${cell("p50")}${cell("p95")}${cell("p99")}<td>${fmtMs(s.max)}</td></tr>`;
  });
  return `<table><thead><tr><th>stage</th><th>n</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function countTable(title: string, record: Record<string, number>, attrs: (key: string) => string): string {
  const entries = Object.entries(record);
  if (entries.length === 0) return "";
  return `<h3>${escapeHtml(title)}</h3><table><tbody>${entries.map(([k, v]) => `<tr><th><code>${escapeHtml(k)}</code></th><td ${attrs(k)} data-value="${v}">${v}</td></tr>`).join("")}</tbody></table>`;
}

function idList(title: string, items: { id: string; note?: string }[], cls = ""): string {
  if (items.length === 0) return "";
  const shown = items.slice(0, 200);
  return `<h3 class="${cls}">${escapeHtml(title)} (${items.length})</h3><ul class="ids">${shown.map((x) => `<li><code>${escapeHtml(x.id)}</code>${x.note ? ` — ${escapeHtml(x.note.slice(0, 200))}` : ""}</li>`).join("")}${items.length > shown.length ? `<li>… and ${items.length - shown.length} more</li>` : ""}</ul>`;
}

function legend(baseline: boolean, metric: "tbr" | "tar"): string {
  const swatch = (cls: string) => `<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" class="bar ${cls}"/></svg>`;
  return `<p class="legend">${swatch(metric)} stelp${baseline ? ` &nbsp; ${swatch("baseline")} baseline (naive regex scanner)` : ""}</p>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:14px;margin:14px 0 6px}
.meta{color:#555}.meta code{background:#f3f3f3;padding:0 4px;border-radius:3px}
.chart{display:block;margin:6px 0;max-width:100%;height:auto}
.chart .label{font-size:12px;fill:#222}.chart .label.total{font-weight:700}.chart .value{font-size:11px;fill:#333}.chart .axis{font-size:10px;fill:#666}
.chart .grid{stroke:#eee}.chart .axis-line{stroke:#999}
.bar.tbr{fill:#2f7d32}.bar.tar{fill:#1f6fb2}.bar.baseline{fill:#b0b0b0}.bar.hist{fill:#6a4fb3}.baseline-text{fill:#777}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}th{text-align:left;font-weight:600}
.escaped{color:#c62828}.banner{padding:8px 12px;border-radius:4px;margin:10px 0}.banner.bad{background:#fdecea;color:#8e1b1b}.banner.ok{background:#edf7ed;color:#1e4620}
.baseline-box{border:1px dashed #999;padding:4px 12px;margin-top:12px;background:#fafafa}
ul.ids{columns:2;font-size:12px}
.legend{font-size:12px;color:#444;margin:2px 0}.legend svg{vertical-align:-1px}
`;

export function renderReport(doc: BenchSummaryDocument): string {
  const s = doc.summary;
  const b = doc.breakdown;
  const baseline = doc.baseline;
  const sections: string[] = [];
  sections.push(`<h1>stelp bench: ${escapeHtml(doc.dataset)}</h1>`);
  sections.push(
    `<p class="meta">engine <code>${escapeHtml(doc.engine)}</code> · policy <code>${escapeHtml(doc.policy)}</code> (<code>${escapeHtml(doc.policyHash)}</code>) · stelp <code>${escapeHtml(doc.stelpVersion)}</code> · ${doc.done}/${doc.items} items${doc.partial ? " (partial)" : ""} · dataset <code>${escapeHtml(doc.datasetHash)}</code></p>`,
  );
  sections.push(
    s.escapedIds.length > 0
      ? `<div class="banner bad" data-metric="escaped" data-value="${s.escapedIds.length}">${s.escapedIds.length} item(s) ESCAPED: a canary was touched or the secret appeared in the output.</div>`
      : `<div class="banner ok" data-metric="escaped" data-value="0">No item escaped.</div>`,
  );
  if (s.block.n > 0) {
    sections.push(`<h2>True Block Rate per category (${s.block.n} block items)</h2>`, legend(!!baseline, "tbr"), rateChart(s.block, "tbr", baseline?.summary.block));
  }
  if (s.allow.n > 0) {
    sections.push(`<h2>True Allow Rate per category (${s.allow.n} allow items)</h2>`, legend(!!baseline, "tar"), rateChart(s.allow, "tar", baseline?.summary.allow));
  }
  if (baseline) {
    sections.push(
      `<div class="baseline-box"><p><strong>${escapeHtml(baseline.label)}</strong>: grey bars. A program counts as blocked when any of its regular expressions matches the source text; nothing is run. It is a point of comparison, not part of stelp.</p>${countTable("baseline: items flagged per rule", baseline.flaggedByRule, (k) => `data-metric="baseline-rule" data-rule="${attr(k)}"`)}</div>`,
    );
  }
  sections.push(`<h2>Outcomes</h2>`, outcomeChart(doc));
  sections.push(countTable("blocked at check, by first rule", b.blockedAtCheck, (k) => `data-metric="rule" data-outcome="blocked-check" data-rule="${attr(k)}"`));
  sections.push(countTable("blocked by the import audit or policy, by first rule", b.blockedByAudit, (k) => `data-metric="rule" data-outcome="blocked-audit" data-rule="${attr(k)}"`));
  sections.push(countTable("contained by bound", b.containedByBound, (k) => `data-metric="bound" data-bound="${attr(k)}"`));
  sections.push(idList("escaped", b.escaped.map((e) => ({ id: e.id, note: e.canaries.join(", ") })), "escaped"));
  sections.push(idList("block items that ran to completion (not blocked)", b.completedBlockItems.map((id) => ({ id }))));
  sections.push(idList("allow items not allowed", s.notAllowed.map((x) => ({ id: x.id, note: [x.outcome, x.rule, x.bound, x.note].filter(Boolean).join(" · ") }))));
  sections.push(idList("miscompiled (stdout differs from the expected one)", b.miscompiled));
  sections.push(idList("internal errors", b.internalErrors.map((x) => ({ id: x.id, note: `${x.status}${x.note ? `: ${x.note}` : ""}` }))));
  sections.push(`<h2>Latency per stage</h2>`, latencyTable(doc), `<p class="note">Stages that did not run for an item (e.g. compile for a rejected snippet) are not counted; total is the item's wall time including its canaries.</p>`);
  sections.push(`<h2>Distribution of total latency</h2>`, histogramChart(doc));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stelp bench: ${escapeHtml(doc.dataset)} (${escapeHtml(doc.engine)})</title>
<style>${CSS}</style>
</head>
<body>
${sections.filter(Boolean).join("\n")}
</body>
</html>
`;
}
