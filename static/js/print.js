// Printing: one column on paper — the warp view, its stage, the run's settings as words and the
// lesson. The layout is css/print.css; this module does what CSS cannot: it writes the form's
// values out as text (a printed menu shows one word in a box, a printed checkbox nothing), and
// fits every plot to the paper's column before the page is laid out for it.

import { t } from './i18n.js';

/** The form's values as a person reads them: the label, then the chosen option's words. */
export function describeSettings(form) {
  return [...form.querySelectorAll('.field')].map((field) => {
    const control = field.querySelector('[data-field]');
    const label = field.querySelector('label').textContent.trim();
    let value = control.value;
    if (control.type === 'checkbox') value = t(control.checked ? 'print.on' : 'print.off');
    else if (control.tagName === 'SELECT') value = control.selectedOptions[0]?.textContent.trim() ?? value;
    return [label, value];
  });
}

function renderSettings(el, rows) {
  const list = document.createElement('dl');
  for (const [label, value] of rows) {
    const term = document.createElement('dt');
    term.textContent = label;
    const detail = document.createElement('dd');
    detail.textContent = value;
    list.append(term, detail);
  }
  const title = document.createElement('h2');
  title.textContent = t('print.settings');
  el.replaceChildren(title, list);
}

/**
 * On `beforeprint` (a person's Print) and on print media (a headless PDF, an emulated print):
 * mark the page as printing (html[data-printing], the column's size in print.css), write the
 * settings, and fit each shown plot at once — a browser lays the paper out before any timer runs.
 * Afterwards the plots fit their screen boxes again.
 */
export function followPrinting(doc, { form, settings, fitNow, fit }) {
  const root = doc.documentElement;
  const plots = () => [...doc.querySelectorAll('.plot[data-view]')].filter((el) => el.getClientRects().length);
  const enter = () => {
    if (root.dataset.printing) return;
    renderSettings(settings, describeSettings(form));
    root.dataset.printing = 'true';
    for (const el of plots()) fitNow(el);
  };
  const leave = () => {
    if (!root.dataset.printing) return;
    delete root.dataset.printing;
    for (const el of plots()) fit(el);
  };
  window.addEventListener('beforeprint', enter);
  window.addEventListener('afterprint', leave);
  matchMedia('print').addEventListener('change', (event) => (event.matches ? enter() : leave()));
}
