// The wire format of docs/wire.md → typed arrays. Positions are Float64Array of rows × dims,
// rows = grid vertices, then train points, then test points.

function bytes(b64) {
  const text = atob(b64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function float32le(b64) {
  const view = new DataView(bytes(b64).buffer);
  const out = new Float64Array(view.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** x = lo + (q + 32768) · (hi − lo) / 65535, per axis. */
export function dequantise(stage, dims) {
  const view = new DataView(bytes(stage.q).buffer);
  const out = new Float64Array(view.byteLength / 2);
  for (let i = 0; i < out.length; i++) {
    const axis = i % dims;
    const lo = stage.lo[axis];
    out[i] = lo + (view.getInt16(i * 2, true) + 32768) * (stage.hi[axis] - lo) / 65535;
  }
  return out;
}

/** rows × `to` copy of rows × `from` positions, zero-padded or truncated. */
export function lift(positions, from, to) {
  if (from === to) return positions;
  const rows = positions.length / from;
  const out = new Float64Array(rows * to);
  const keep = Math.min(from, to);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < keep; j++) out[r * to + j] = positions[r * from + j];
  }
  return out;
}

/** positions (rows × M's columns) · Mᵀ, plus an optional bias. */
export function affine(positions, M, bias = null) {
  const outDim = M.length;
  const inDim = M[0].length;
  const rows = positions.length / inDim;
  const out = new Float64Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < outDim; i++) {
      let sum = 0;
      for (let j = 0; j < inDim; j++) sum += positions[r * inDim + j] * M[i][j];
      out[r * outDim + i] = bias ? sum + bias[i] : sum;
    }
  }
  return out;
}

const TWEEN_KINDS = new Set(['mirror', 'stretch', 'rotate']);

/** Whether a stage record is a tween frame (between a layer's input and its k.W). */
export const isTween = (record) => TWEEN_KINDS.has(record.kind);

/**
 * The name of each layer's output, index k for layer k (0: input): its last stage, k.act or
 * k.res — what layer k + 1 multiplies by its W. The last is the last space. (`records` are
 * meta's, which hold no tween frames.)
 */
function layerOutputs(records) {
  const outputs = [];
  for (const record of records) outputs[record.layer] = record.name;
  return outputs;
}

/** meta with its stages' records by name (`records`), layer outputs and the input decoded. */
export function decodeMeta(meta) {
  const points = float32le(meta.points);
  const grid = float32le(meta.grid.vertices);
  const input = new Float64Array(grid.length + points.length);
  input.set(grid);
  input.set(points, grid.length);
  return {
    ...meta,
    records: new Map(meta.stage_records.map((r) => [r.name, r])),
    outputs: layerOutputs(meta.stage_records),
    input, // rows × 2, never lifted
    gridRows: grid.length / 2,
    labels: Int32Array.from(meta.labels),
  };
}

function decodeField(field, classes) {
  const cells = field.size * field.size;
  const sent = bytes(field.q);
  const p = new Float32Array(cells * classes);
  for (let cell = 0; cell < cells; cell++) {
    let rest = 1;
    for (let c = 0; c < classes - 1; c++) {
      const value = sent[cell * (classes - 1) + c] / 255;
      p[cell * classes + c] = value;
      rest -= value;
    }
    p[cell * classes + classes - 1] = Math.max(0, rest);
  }
  return { extent: field.extent, size: field.size, classes, p, reachesEdge: field.reaches_edge };
}

export class Snapshot {
  /**
   * `positions` maps stage names to Float64Array (rows × dims) kept for good; `encoded` maps
   * sent stage names to their wire form, dequantised only when drawn, so a long history stays
   * small.
   */
  constructor(meta, fields) {
    Object.assign(this, { positions: new Map(), encoded: new Map() }, fields);
    this.meta = meta;
    this.cache = new Map(this.positions);
  }

  static fromWire(meta, wire) {
    const encoded = new Map(wire.stages.map((s) => [s.name, s]));
    const probability = {};
    for (const [name, field] of Object.entries(wire.probability)) {
      probability[name] = decodeField(field, meta.classes);
    }
    // each tween is its stage record ({name, layer, kind, t}) with its matrix M
    const tweens = wire.tweens.map(({ name, layer, kind, t, M }) => ({ name, layer, kind, t, M }));
    const clipped = wire.stages.some((s) => s.clipped);
    return new Snapshot(meta, { ...wire, encoded, probability, tweens, clipped });
  }

  /** The record {name, layer, kind, t} of stage or tween frame `name`: what the stage is. */
  record(name) {
    const record = this.meta.records.get(name) ?? this.tweens.find((tw) => tw.name === name);
    if (!record) throw new Error(`no stage or tween frame ${name}`);
    return record;
  }

  /** Positions at `name`: sent stages as sent, k.W and k.b and tweens recomputed from them. */
  stage(name) {
    if (this.cache.has(name)) return this.cache.get(name);
    const { dims } = this.meta;
    const record = this.record(name);
    const layer = this.layers[record.layer - 1];
    let out;
    if (this.encoded.has(name)) {
      out = dequantise(this.encoded.get(name), dims);
    } else if (record.kind === 'input') {
      out = lift(this.meta.input, 2, dims);
    } else if (isTween(record)) {
      out = affine(this.previousOutput(record.layer, record.M[0].length), record.M);
    } else if (record.kind === 'W') {
      out = affine(this.previousOutput(record.layer, layer.W[0].length), layer.W);
    } else if (record.kind === 'b') {
      out = affine(this.previousOutput(record.layer, layer.W[0].length), layer.W, layer.b);
    } else {
      throw new Error(`stage ${name} was not sent`);
    }
    this.cache.set(name, out);
    return out;
  }

  /** Layer k's input with `width` columns (the input plane is 2-D; lifted with zeros). */
  previousOutput(k, width) {
    if (k === 1) return lift(this.meta.input, 2, width);
    return lift(this.stage(this.meta.outputs[k - 1]), this.meta.dims, width);
  }

  /** The records of the tween frames that lead into stage `name` (only k.W stages have them). */
  tweensInto(name) {
    const record = this.record(name);
    if (record.kind !== 'W') return [];
    return this.tweens.filter((tw) => tw.layer === record.layer);
  }

  /** Drop every decoded array but those kept for good: old snapshots are rarely drawn. */
  forget() {
    this.cache = new Map(this.positions);
  }
}

/** The last space: where the readout draws its lines (input for a perceptron). */
export function lastStage(meta) {
  return meta.outputs.at(-1);
}

/** The name of the stage of `kind` in `layer` (e.g. layer 2's 'b'), or undefined. */
export function stageOf(meta, layer, kind) {
  return meta.stage_records.find((r) => r.layer === layer && r.kind === kind)?.name;
}
