/**
 * The report page's style: its one inline `<style>`, apart from the page so that the answer's policy can
 * allow it by hash (`REPORT_PAGE_POLICY` in `formats.ts`) without loading the renderer.
 */
export const REPORT_STYLE = `
body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0;line-height:1.45}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.7rem}h2{font-size:1.4rem;margin-top:2.5rem;border-bottom:2px solid #1a1a1a}h3{font-size:1.15rem;margin-top:2rem}h4{font-size:1rem;margin:0 0 .5rem}
figure{margin:1.5rem 0}.pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.svg svg{max-width:100%;height:auto}
.scroll{overflow-x:auto;max-width:100%}.scroll:focus{outline:3px solid #0b5394;outline-offset:2px}
table{border-collapse:collapse;margin:.75rem 0;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #8c8c8c;padding:.25rem .5rem}td{text-align:right}th{text-align:left;background:#f2f2f2}
td.dolt{font-style:italic;background:#ededed;color:#404040}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
`;
