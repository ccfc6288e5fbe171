/**
 * The formats whose libraries are loaded only when a report is made (see `formats.ts`): the xlsx and the
 * HTML page with its charts. Bundled for the functions as a file of its own beside their bundles.
 */
export { toHtml } from './html.tsx';
export { toXlsx } from './xlsx.ts';
