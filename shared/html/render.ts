/**
 * The one way the service writes HTML: Preact components (`.tsx`), rendered to a string on the server. The
 * renderer escapes every text and attribute value it is given; markup the service did not write never
 * becomes markup. The two ways past it are named in `parts.tsx` and take only what the service itself made.
 */
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole page, with its doctype. */
export const renderPage = (page: VNode): string => `<!doctype html>\n${renderToString(page)}`;

/** A part of a page (an SVG, a section) as markup, for a page that embeds it. */
export const renderPart = (part: VNode): string => renderToString(part);
