/**
 * The workspace's one stylesheet: the parts of Designsystemet (Digdir's design system, MIT) the pages use,
 * its theme, and the few rules of the workspace's own layout — served by the service itself under a name
 * carrying its content hash, so a browser keeps it for a year and never asks again until it changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The design system's files, in cascade order: the theme, the base, then each component the pages use. */
export const DESIGN_SYSTEM_PARTS = [
  'theme.css',
  'base.css',
  'skip-link.css',
  'heading.css',
  'paragraph.css',
  'link.css',
  'list.css',
  'button.css',
  'table.css',
  'tag.css',
  'alert.css',
  'card.css',
  'label.css',
  'field.css',
  'fieldset.css',
  'input.css',
  'validation-message.css',
  'error-summary.css',
];

/**
 * The workspace's own layout: a readable measure, a header saying whom you act for, reflow at 320 px. The
 * theme names Inter alone, which the service does not serve (it loads nothing from elsewhere): the system's
 * sans-serif stands in where Inter is not installed.
 */
const OWN = `
:root{--ds-font-family:Inter,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;font-family:var(--ds-font-family);background:var(--ds-color-neutral-background-default);color:var(--ds-color-neutral-text-default)}
.sip-header{border-bottom:1px solid var(--ds-color-neutral-border-subtle);background:var(--ds-color-neutral-background-tinted)}
.sip-header>div,.sip-main,.sip-footer{max-width:64rem;margin:0 auto;padding:var(--ds-size-4)}
.sip-header>div{display:flex;flex-wrap:wrap;gap:var(--ds-size-4);align-items:center;justify-content:space-between}
.sip-header form{margin:0}.sip-actor{margin:0}
.sip-footer{border-top:1px solid var(--ds-color-neutral-border-subtle)}
.sip-table-region{overflow-x:auto;max-width:100%}
.sip-table-region:focus-visible{outline:3px solid var(--ds-color-accent-border-strong);outline-offset:2px}
.sip-list{padding-left:0;list-style:none}.sip-list li{margin:var(--ds-size-3) 0}
dl.sip-facts{display:grid;grid-template-columns:max-content 1fr;gap:var(--ds-size-1) var(--ds-size-4)}dl.sip-facts dd{margin:0}
@media (max-width:40rem){dl.sip-facts{grid-template-columns:1fr}}
.sip-main form>fieldset,.sip-main form>.ds-field{margin:0 0 var(--ds-size-6);border:0;padding:0}
.sip-main .ds-error-summary{margin-bottom:var(--ds-size-6)}
`;

const require = createRequire(import.meta.url);

/** A part from beside the function's bundle (copied there at bundling), or else from the package. */
function read(part: string): string {
  const bundled = new URL(`./designsystemet/${part}`, import.meta.url);
  if (existsSync(bundled)) return readFileSync(bundled, 'utf8');
  return readFileSync(require.resolve(`@digdir/designsystemet-css/${part}`), 'utf8');
}

let built: { css: string; path: string } | undefined;
/** The stylesheet and the path it is served under, `/app/assets/sip-<hash>.css`: built once per container. */
export function stylesheet(): { css: string; path: string } {
  if (!built) {
    const css = [...DESIGN_SYSTEM_PARTS.map(read), OWN].join('\n');
    const hash = createHash('sha256').update(css).digest('base64url').slice(0, 16);
    built = { css, path: `/app/assets/sip-${hash}.css` };
  }
  return built;
}
