// Every control a finger can reach on the page, with the box that takes its tap (WCAG 2.5.5):
// the control itself, or for a checkbox or radio button the label it sits in or that names it
// (a tap on either toggles it). A link inside a sentence is left out (WCAG's inline exception);
// so is what no one can see. Used by tests/browser/test_phone_targets.py.
() => {
  const selector = 'button, select, input:not([type=hidden]), a[href], summary, [role=button], [role=slider], '
    + '[tabindex]:not([tabindex="-1"]), .js-plotly-plot .legendtoggle';
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  // a link among words: its sentence has text besides it
  const inline = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement;
    return block.textContent.replace(el.textContent, '').trim().length > 0;
  };
  const union = (a, b) => {
    const left = Math.min(a.left, b.left);
    const top = Math.min(a.top, b.top);
    return { left, top, width: Math.max(a.right, b.right) - left, height: Math.max(a.bottom, b.bottom) - top };
  };
  const describe = (el) => {
    const name = el.getAttribute('aria-label') || el.textContent.trim() || el.getAttribute('data-i18n') || '';
    const hooks = [...el.attributes].filter((a) => a.name.startsWith('data-')).map((a) => a.name).join(' ');
    return `${el.tagName.toLowerCase()}${el.type ? `[${el.type}]` : ''} ${hooks} “${name.slice(0, 30)}”`;
  };
  const seen = new Set();
  const targets = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el) || inline(el) || getComputedStyle(el).pointerEvents === 'none') continue;
    // a file or choice input inside a label styled as its button: the label is the target
    let box = el.getBoundingClientRect();
    const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
    const toggles = ['checkbox', 'radio', 'file'].includes(el.type);
    if (toggles && label && shown(label)) {
      const own = label.getBoundingClientRect();
      box = label.contains(el) ? own : union(own, box);
    }
    const key = `${box.left},${box.top},${box.width},${box.height}`;
    if (seen.has(key) && el.type === 'file') continue;
    seen.add(key);
    targets.push({ what: describe(el), w: Math.round(box.width * 10) / 10, h: Math.round(box.height * 10) / 10 });
  }
  return targets;
}
