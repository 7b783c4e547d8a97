import type { ColumnProfile, CorrelationMatrix, Profile } from './profile.js';

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(6)));
  }
  return String(v);
}

const MAX_SHOWN = 200;

function short(v: unknown): string {
  const s = fmt(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

function stat(name: string, label: string, v: unknown): string {
  return `<tr><th>${escapeHtml(label)}</th><td data-stat="${escapeHtml(name)}">${escapeHtml(short(v))}</td></tr>`;
}

function histogramSvg(edges: readonly number[], counts: readonly number[]): string {
  const w = 240;
  const h = 80;
  const max = Math.max(1, ...counts);
  const bw = counts.length > 0 ? w / counts.length : w;
  const bars = counts
    .map((c, i) => {
      const bh = (c / max) * (h - 12);
      return `<rect x="${(i * bw).toFixed(2)}" y="${(h - 12 - bh).toFixed(2)}" width="${Math.max(0.5, bw - 1).toFixed(2)}" height="${bh.toFixed(2)}" fill="#4c78a8"><title>${escapeHtml(`${fmt(edges[i])} – ${fmt(edges[i + 1])}: ${c}`)}</title></rect>`;
    })
    .join('');
  const lo = escapeHtml(short(edges[0]));
  const hi = escapeHtml(short(edges[edges.length - 1]));
  return `<svg class="hist" role="img" aria-label="histogram" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">${bars}<text x="0" y="${h - 1}" font-size="9">${lo}</text><text x="${w}" y="${h - 1}" font-size="9" text-anchor="end">${hi}</text></svg>`;
}

function topSvg(col: ColumnProfile): string {
  const top = col.top.slice(0, 10);
  if (top.length === 0) return '';
  const w = 240;
  const rowH = 14;
  const max = Math.max(1, ...top.map((t) => t.count));
  const rows = top
    .map((t, i) => {
      const bw = (t.count / max) * (w - 90);
      const label = short(t.value);
      return `<g data-top-value="${escapeHtml(label)}" data-top-count="${t.count}"><text x="0" y="${i * rowH + 10}" font-size="9">${escapeHtml(label.length > 14 ? `${label.slice(0, 13)}…` : label)}</text><rect x="80" y="${i * rowH + 2}" width="${bw.toFixed(2)}" height="${rowH - 4}" fill="#f58518"></rect><text x="${(82 + bw).toFixed(2)}" y="${i * rowH + 10}" font-size="9">${t.count}</text></g>`;
    })
    .join('');
  return `<svg class="top" role="img" aria-label="top values" width="${w}" height="${top.length * rowH}" xmlns="http://www.w3.org/2000/svg">${rows}</svg>`;
}

function columnSection(c: ColumnProfile): string {
  const rows: string[] = [
    stat('kind', 'kind', c.kind),
    stat('count', 'count', c.count),
    stat('missing', 'missing', c.missing),
    stat('missingFraction', 'missing %', Number((c.missingFraction * 100).toFixed(2))),
    stat('distinct', c.approximate ? 'distinct (≈)' : 'distinct', c.distinct),
  ];
  if (c.numeric) {
    const n = c.numeric;
    rows.push(
      stat('mean', 'mean', n.mean),
      stat('std', 'std', n.std),
      stat('min', 'min', c.datetime ? c.datetime.min : n.min),
      stat('p25', '25%', n.quantiles.p25),
      stat('p50', 'median', n.quantiles.p50),
      stat('p75', '75%', n.quantiles.p75),
      stat('max', 'max', c.datetime ? c.datetime.max : n.max),
      stat('outliers', 'IQR outliers', n.outliers.count),
      stat('zeros', 'zeros', n.zeros),
    );
  }
  if (c.text) {
    const t = c.text;
    rows.push(stat('minLength', 'min length', t.minLength), stat('maxLength', 'max length', t.maxLength), stat('meanLength', 'mean length', t.meanLength));
    for (const [k, v] of Object.entries(t.patterns)) if (v > 0) rows.push(stat(`pattern-${k}`, `pattern ${k}`, v));
  }
  const chart = c.numeric && c.numeric.histogram.counts.length > 0 ? histogramSvg(c.numeric.histogram.edges, c.numeric.histogram.counts) : topSvg(c);
  return `<section class="col" data-column="${escapeHtml(c.name)}"><h2>${escapeHtml(short(c.name))}</h2><div class="row"><table>${rows.join('')}</table><div class="chart">${chart}</div></div></section>`;
}

function heatmap(title: string, m: CorrelationMatrix | undefined): string {
  if (!m || m.columns.length < 2) return '';
  const cell = 22;
  const pad = 90;
  const n = m.columns.length;
  const rects: string[] = [];
  m.matrix.forEach((row, i) => {
    row.forEach((v, j) => {
      const x = v === null ? 0 : v;
      const color = x >= 0 ? `rgba(76,120,168,${Math.abs(x).toFixed(3)})` : `rgba(228,87,86,${Math.abs(x).toFixed(3)})`;
      rects.push(
        `<rect x="${pad + j * cell}" y="${pad + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${v === null ? '#eee' : color}" data-corr="${escapeHtml(`${m.columns[i]}|${m.columns[j]}`)}" data-value="${v === null ? '' : v.toFixed(6)}"><title>${escapeHtml(`${m.columns[i]} × ${m.columns[j]}: ${fmt(v)}`)}</title></rect>`,
      );
    });
  });
  const labels = m.columns
    .map((c, i) => {
      const l = escapeHtml(c.length > 14 ? `${c.slice(0, 13)}…` : c);
      return `<text x="${pad - 4}" y="${pad + i * cell + 15}" font-size="10" text-anchor="end">${l}</text><text x="${pad + i * cell + 12}" y="${pad - 4}" font-size="10" transform="rotate(-45 ${pad + i * cell + 12} ${pad - 4})">${l}</text>`;
    })
    .join('');
  const size = pad + n * cell + 4;
  return `<section class="corr" data-matrix="${escapeHtml(title)}"><h2>${escapeHtml(title)}</h2><svg width="${size}" height="${size}" xmlns="http://www.w3.org/2000/svg">${labels}${rects.join('')}</svg></section>`;
}

/**
 * Renders a {@link Profile} as a self-contained HTML page: inline CSS and SVG charts (histograms,
 * top values, correlation heat maps), no script and no network request; every value is
 * HTML-escaped. Statistics carry `data-stat` attributes and sections `data-column`, so a test or
 * a tool can read values back from the DOM.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('profile.html', profileToHTML(profile(ds), { title: 'orders' }));
 * ```
 */
export function profileToHTML(p: Profile, options: { title?: string } = {}): string {
  const title = options.title ?? 'Data profile';
  const dup = p.duplicates ? `<span data-stat="duplicates">${p.duplicates.count}</span> duplicate rows` : '';
  const css =
    'body{font:13px system-ui,sans-serif;margin:16px;color:#222}h1{font-size:20px}h2{font-size:15px;margin:4px 0}.col,.corr{border:1px solid #ddd;border-radius:6px;padding:8px;margin:8px 0}.row{display:flex;gap:16px;flex-wrap:wrap}table{border-collapse:collapse}th{text-align:left;font-weight:500;color:#555;padding:1px 8px 1px 0}td{font-variant-numeric:tabular-nums}';
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="summary"><span data-stat="nrows">${p.nrows}</span> rows × <span data-stat="ncols">${p.ncols}</span> columns${dup ? `, ${dup}` : ''}${p.approximate ? ' (some figures are sketch estimates)' : ''}</p>`,
    ...p.columns.map(columnSection),
    heatmap('Pearson correlation', p.correlations?.pearson),
    heatmap('Spearman correlation', p.correlations?.spearman),
    heatmap("Cramér's V", p.correlations?.cramersV),
  ].join('\n');
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>${escapeHtml(title)}</title><style>${css}</style></head><body>\n${body}\n</body></html>\n`;
}
