// Numbers, matrices and each stage's formula filled with the real values, as plain text (and
// appendText, which puts such text into the page without ever parsing it as HTML).

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
export const sub = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPT[d]);

export function num(value, digits = 3) {
  if (value === null || value === undefined) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString().replace('-', '−');
}

/** `digits` significant digits: for norms and determinants, which span many magnitudes. */
export function sig(value, digits = 2) {
  if (value === null || value === undefined) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-2)) {
    return value.toExponential(digits - 1).replace('-', '−');
  }
  return Number(value.toPrecision(digits)).toString().replace('-', '−');
}

export const vector = (v, digits = 3) => `[${v.map((x) => num(x, digits)).join(', ')}]`;
export const matrix = (M) => `[${M.map(vector).join('; ')}]`;
/** One row per line, for tables. */
export const matrixRows = (M, digits = 3) => M.map((row) => vector(row, digits)).join('\n');

/** { name, formula } for stage `name` of `snapshot` (k.W, k.b, k.act, k.res or input). */
export function stageFormula(name, snapshot, activation) {
  if (name === 'input') return { kind: 'input', formula: 'a₀ = x' };
  const [k, kind] = name.split('.');
  const layer = snapshot?.layers[Number(k) - 1];
  const W = `W${sub(k)}`;
  const b = `b${sub(k)}`;
  const a = `a${sub(Number(k) - 1)}`;
  const values = layer ? { W: `${W} = ${matrix(layer.W)}`, b: `${b} = ${vector(layer.b)}` } : { W: '', b: '' };
  const inner = `${W}·${a} + ${b}`;
  const formulas = {
    W: `${W}·${a}    ${values.W}`,
    b: `${inner}    ${values.b}`,
    act: `a${sub(k)} = ${activation}(${inner})    ${values.W}   ${values.b}`,
    res: `a${sub(k)} = ${a} + ${activation}(${inner})`,
  };
  return { kind, formula: formulas[kind] };
}

/** A new `tag` element with `text` (as text, never HTML) appended to `parent`. */
export function appendText(parent, tag, text, className = '') {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  parent.append(el);
  return el;
}
