// The report's only stylesheet, inlined so the file works offline: light theme, system fonts.

export const REPORT_CSS = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#f5f7fa;--card:#fff;--pos:#15803d;--neg:#b91c1c;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1200px;margin:0 auto;padding:28px 20px 56px}
header{margin-bottom:8px}
.eyebrow{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0}
h1{font-size:26px;line-height:1.2;margin:4px 0 6px;font-weight:650;word-break:break-word}
.meta{color:var(--muted);margin:0}
.meta b{color:var(--fg);font-weight:600}
.chips{margin-top:10px;display:flex;flex-wrap:wrap;gap:6px}
.chip{background:#eef2ff;color:#3730a3;border-radius:999px;padding:2px 10px;font-size:12.5px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:20px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px 14px}
.card .k{font-size:11.5px;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.card .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums;margin-top:2px;white-space:nowrap}
.card .s{font-size:12.5px;color:var(--muted);font-variant-numeric:tabular-nums}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 18px;margin-top:16px}
h2{font-size:16px;margin:0 0 12px;font-weight:650}
h2 small{font-weight:400;color:var(--muted);font-size:13px;margin-left:6px}
.p{color:var(--pos)}.n{color:var(--neg)}
.note{color:var(--muted);font-size:13px;margin:8px 0 0}
.scroll{overflow:auto;max-height:70vh;border:1px solid var(--line);border-radius:8px}
.wide{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:6px 10px;text-align:right;white-space:nowrap;border-bottom:1px solid var(--line)}
th{position:sticky;top:0;background:#f9fafb;color:var(--muted);font-weight:600;font-size:12px;z-index:1}
tbody tr:nth-child(even) td{background:#fbfcfd}
tbody tr:hover td{background:#f1f5f9}
.l,table.kv td:first-child,table.kv th{text-align:left}
table.kv td:first-child{color:var(--muted);width:220px}
table.kv td{white-space:normal;word-break:break-word}
.trades td:nth-child(2),.trades td:nth-child(3),.trades th:nth-child(2),.trades th:nth-child(3){text-align:left}
.gap td{text-align:center;color:var(--muted);font-style:italic;background:#f9fafb}
.metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:0 28px}
.metrics div{display:flex;justify-content:space-between;padding:5px 0;border-bottom:1px solid var(--line);font-variant-numeric:tabular-nums}
.metrics span:first-child{color:var(--muted)}
.heat td,.heat th{text-align:center;padding:6px 4px;min-width:54px}
.heat td:first-child,.heat th:first-child{text-align:left;font-weight:600;color:var(--fg)}
.heat td.total{font-weight:650;border-left:2px solid var(--line)}
svg.chart{width:100%;height:auto;display:block}
svg.chart text{font-size:11.5px;fill:var(--muted);font-variant-numeric:tabular-nums}
.grid{stroke:#eef0f3;stroke-width:1}
.axis{stroke:#cbd5e1;stroke-width:1}
.ref{stroke:#94a3b8;stroke-width:1;stroke-dasharray:4 4}
.equity-line{fill:none;stroke:var(--accent);stroke-width:1.6;stroke-linejoin:round}
.equity-area{fill:rgba(37,99,235,.08);stroke:none}
.underwater-line{fill:none;stroke:#dc2626;stroke-width:1.2;stroke-linejoin:round}
.underwater-area{fill:rgba(220,38,38,.16);stroke:none}
.trough{fill:#dc2626;stroke:#fff;stroke-width:1.5}
svg.chart .trough-label{fill:#b91c1c;font-weight:600}
.chart-gap{height:6px}
footer{margin-top:28px;color:var(--muted);font-size:12px;text-align:center}
@media (max-width:640px){main{padding:18px 10px 40px}h1{font-size:21px}.card .v{font-size:18px}}
@media print{body{background:#fff}.scroll{max-height:none;overflow:visible}section,.card{break-inside:avoid}}
`;
