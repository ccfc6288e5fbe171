/**
 * A page to read and try the API, built from /openapi.json in the browser by the service's own script
 * (`/docs/app.js`). No CDN and nothing inline but its style, allowed by hash: it works offline and under a
 * strict content security policy.
 */
import { InlineStyle } from '../../shared/html/parts.tsx';
import { renderPage } from '../../shared/html/render.ts';
import { pagePolicy } from '../../shared/http/security.ts';

export const docsPage = (): string => DOCS_HTML;
export const docsScript = (): string => DOCS_SCRIPT;

const DOCS_STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2430;background:#f6f7f9}
body{margin:0}header{background:#12355b;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.4rem}
header p{margin:.3rem 0 0;opacity:.85;max-width:60rem}main{max-width:70rem;margin:0 auto;padding:1rem 2rem 4rem}
.token{display:flex;gap:.5rem;align-items:center;background:#fff;border:1px solid #d5dae1;border-radius:6px;padding:.7rem 1rem;margin:1rem 0}
.token input{flex:1;font-family:ui-monospace,monospace;padding:.4rem}
details.op{background:#fff;border:1px solid #d5dae1;border-radius:6px;margin:.6rem 0}
details.op>summary{cursor:pointer;padding:.7rem 1rem;display:flex;gap:.8rem;align-items:center;list-style:none}
.method{font:600 .8rem ui-monospace,monospace;color:#fff;border-radius:4px;padding:.2rem .5rem;min-width:3.5rem;text-align:center}
.GET{background:#2f6db5}.POST{background:#1e6b41}.PATCH{background:#8a5a00}.DELETE{background:#b22222}
.path{font-family:ui-monospace,monospace;font-weight:600}.scope{margin-left:auto;font-size:.8rem;color:#5b6675}
.body{padding:0 1rem 1rem}label{display:block;font-size:.85rem;margin:.6rem 0 .2rem;color:#3a4554}
input.param{font-family:ui-monospace,monospace;padding:.35rem;width:24rem;max-width:100%}
textarea{width:100%;min-height:10rem;font:.85rem ui-monospace,monospace;box-sizing:border-box}
button{background:#12355b;color:#fff;border:0;border-radius:4px;padding:.5rem 1.1rem;margin-top:.6rem;cursor:pointer}
pre{background:#0f1720;color:#e3e8ef;padding:.8rem;border-radius:4px;overflow:auto;max-height:30rem;font-size:.8rem}
:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.status{font-weight:600}.schema summary{cursor:pointer;font-size:.85rem;color:#2f6db5}
.token label{margin:0}header a{color:#fff}h2.ops{font-size:1.1rem}
`;

/** The page's policy: its style by hash, its script as a file, and calls to the API it describes. */
export const DOCS_POLICY = pagePolicy({ styles: [DOCS_STYLE], scripts: true, connect: true });

const DOCS_HTML = renderPage(
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <title>SIP API</title>
      <InlineStyle css={DOCS_STYLE} />
      <script src="docs/app.js" defer />
    </head>
    <body>
      <header>
        <h1>SIP — samordnad individuell plan</h1>
        <p>
          Read and try the API. Get a local token with{' '}
          <code>npm run -s token -- --org &lt;organisationId&gt;</code>, paste it below, open an operation and
          send. Every GET also answers HEAD. The machine-readable description is at{' '}
          <a href="openapi.json">openapi.json</a>; what each error means is under{' '}
          <a href="problems">problems</a>.
        </p>
      </header>
      <main>
        <div class="token">
          <label for="token">Bearer token</label>
          <input id="token" placeholder="eyJhbGciOi…" autocomplete="off" />
        </div>
        <h2 class="ops">Operations</h2>
        <div id="ops">Loading…</div>
      </main>
    </body>
  </html>,
);

const DOCS_SCRIPT = `const base = location.pathname.replace(/\\/docs\\/?$/, '');
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('sip-token') || '';
tokenInput.addEventListener('input', () => sessionStorage.setItem('sip-token', tokenInput.value.trim()));
const el = (tag, attrs = {}, ...children) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); for (const c of children) e.append(c); return e; };
fetch(base + '/openapi.json').then(r => r.json()).then(doc => {
  const ops = document.getElementById('ops'); ops.textContent = '';
  let n = 0;
  for (const [path, methods] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(methods)) {
    if (method === 'head') continue;
    const M = method.toUpperCase(); const id = 'op' + (n++);
    const scope = (op.security && op.security[0] && op.security[0].bearer || []).join(' ') || 'public';
    const box = el('details', { class: 'op' }, el('summary', {}, el('span', { class: 'method ' + M }, M), el('span', { class: 'path' }, path), el('span', {}, op.summary), el('span', { class: 'scope' }, scope)));
    const body = el('div', { class: 'body' }, el('p', {}, op.description || ''));
    const inputs = {};
    for (const p of op.parameters || []) { const i = el('input', { class: 'param', id: id + '-' + p.in + '-' + p.name, placeholder: p.in + (p.required ? ', required' : '') }); inputs[p.in + ':' + p.name] = i; body.append(el('label', { for: i.id }, p.name + ' (' + p.in + ')'), i); }
    let textarea;
    if (op.requestBody) {
      const [type, media] = Object.entries(op.requestBody.content)[0];
      textarea = el('textarea', { spellcheck: 'false', id: id + '-body' }); textarea.value = media.example ? JSON.stringify(media.example, null, 2) : '{}'; textarea.dataset.type = type;
      body.append(el('label', { for: textarea.id }, 'Body (' + type + ')'), textarea);
      const ref = media.schema && media.schema.$ref && media.schema.$ref.split('/').pop();
      if (ref) body.append(el('details', { class: 'schema' }, el('summary', {}, 'Schema: ' + ref), el('pre', { tabindex: '0', 'aria-label': 'Schema ' + ref }, JSON.stringify(doc.components.schemas[ref], null, 2))));
    }
    const out = el('div', { role: 'status' }); const send = el('button', { type: 'button' }, 'Send ' + M + ' ' + path);
    send.addEventListener('click', async () => {
      let url = base + path.replace(/\\{(\\w+)\\}/g, (_, n) => encodeURIComponent(inputs['path:' + n].value.trim()));
      const q = new URLSearchParams(); for (const [k, i] of Object.entries(inputs)) if (k.startsWith('query:') && i.value.trim()) q.set(k.slice(6), i.value.trim());
      if ([...q].length) url += '?' + q;
      const headers = {}; const token = tokenInput.value.trim(); if (token && scope !== 'public') headers.authorization = 'Bearer ' + token;
      for (const [k, i] of Object.entries(inputs)) if (k.startsWith('header:') && i.value.trim()) headers[k.slice(7).toLowerCase()] = i.value.trim();
      if (textarea) headers['content-type'] = textarea.dataset.type;
      out.textContent = 'Sending…';
      try {
        const res = await fetch(url, { method: M, headers, body: textarea ? textarea.value : undefined });
        const text = await res.text(); let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
        const meta = ['etag', 'location', 'content-type'].filter(h => res.headers.get(h)).map(h => h + ': ' + res.headers.get(h)).join('\\n');
        out.replaceChildren(el('p', { class: 'status' }, res.status + ' ' + res.statusText), el('pre', { tabindex: '0', 'aria-label': 'Response' }, meta + '\\n\\n' + shown));
      } catch (e) { out.textContent = 'Request failed: ' + e.message; }
    });
    body.append(send, out); box.append(body); ops.append(box);
  }
});
`;
