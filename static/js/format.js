// Numbers, matrices and each stage's formula filled with the real values, as plain text (and
// appendText, which puts such text into the page without ever parsing it as HTML).

const SUBSCRIPT = '₀₁₂₃₄₅₆₇₈₉';
export const sub = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPT[d]);

const MINUS = '\u2212';

/** Every minus sign as U+2212, the one the page shows everywhere (ASCII hyphens look like dashes). */
export const minus = (text) => text.replaceAll('-', MINUS);

/** `digits` significant digits in scientific form: 1.2e−4, 3.5e4 (toExponential's rounding). */
function scientific(value, digits) {
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  return minus(`${mantissa}e${Number(exponent)}`);
}

/**
 * A value of the data (weight, bias, loss) rounded to `digits` decimals, trailing zeros kept so
 * columns line up. A value that would read as 0 but is not, or is 10 000 or more, is shown
 * in scientific form with two significant digits instead: the screen never shows a wrong 0.
 */
export function num(value, digits = 3) {
  if (value === null || value === undefined) return '—';
  const text = value.toFixed(digits);
  if (value !== 0 && (Math.abs(value) >= 1e4 || Number(text) === 0)) return scientific(value, 2);
  return minus(Number(text) === 0 ? text.replace('-', '') : text);
}

/** `digits` significant digits: for norms, determinants and gradients, which span magnitudes. */
export function sig(value, digits = 2) {
  if (value === null || value === undefined) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3)) return scientific(value, digits);
  const text = value.toPrecision(digits);
  return minus(text.includes('e') ? String(Number(text)) : text);
}

/** A setting as the user gave it (a learning rate, a step): its shortest exact form. */
export const plain = (value) => minus(String(value));

export const vector = (v, digits = 3) => `[${v.map((x) => num(x, digits)).join(', ')}]`;
export const matrix = (M, digits = 3) => `[${M.map((row) => vector(row, digits)).join('; ')}]`;
/** One row per line, for tables. */
export const matrixRows = (M, digits = 3) => M.map((row) => vector(row, digits)).join('\n');
/** One row per line of `digits` significant digits, for gradients. */
export const matrixRowsSig = (M, digits = 3) => M.map((row) => `[${row.map((x) => sig(x, digits)).join(', ')}]`).join('\n');

/** { kind, layer, formula } for the stage of `record` (input, k.W, k.b, k.act or k.res) of `snapshot`. */
export function stageFormula(record, snapshot, activation) {
  const { kind, layer: k } = record;
  if (kind === 'input') return { kind, layer: 0, formula: 'a₀ = x' };
  const layer = snapshot?.layers[k - 1];
  const W = `W${sub(k)}`;
  const b = `b${sub(k)}`;
  const a = `a${sub(k - 1)}`;
  const values = layer ? { W: `${W} = ${matrix(layer.W)}`, b: `${b} = ${vector(layer.b)}` } : { W: '', b: '' };
  const inner = `${W}·${a} + ${b}`;
  const formulas = {
    W: `${W}·${a}    ${values.W}`,
    b: `${inner}    ${values.b}`,
    act: `a${sub(k)} = ${activation}(${inner})    ${values.W}   ${values.b}`,
    res: `a${sub(k)} = ${a} + ${activation}(${inner})`,
  };
  return { kind, layer: k, formula: formulas[kind] };
}

/** A new `tag` element with `text` (as text, never HTML) appended to `parent`. */
export function appendText(parent, tag, text, className = '') {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  parent.append(el);
  return el;
}
