// The wire format of docs/wire.md → typed arrays. Positions are Float64Array of rows × dims,
// rows = grid vertices, then train points, then test points. A snapshot carries the maps (W, b)
// and every stage is computed here with maths.js, as the engine computes it.

import { TWEEN_KINDS, affine, finitePositions, gridVertices, layerStages, lift, tweenFrames2d, tweenFrames3d } from './maths.js';

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

/** Base64 little-endian float64 → Float64Array (exact). */
export function float64le(b64) {
  const view = new DataView(bytes(b64).buffer);
  const out = new Float64Array(view.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** A (rows, columns) matrix from its flat row-major values. */
function matrix(flat, rows) {
  const columns = flat.length / rows;
  return Array.from({ length: rows }, (_, r) => Array.from(flat.subarray(r * columns, (r + 1) * columns)));
}

/** A layer's (or the readout's) W and b, sent as float64, as arrays of rows and a row. */
function maps(layer) {
  const b = Array.from(float64le(layer.b));
  return { ...layer, W: matrix(float64le(layer.W), b.length), b };
}

/** x = lo + (q + 32768) · (hi − lo) / 65535, per axis (the positions=1 form). */
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

/** Whether a stage record is a tween frame (between a layer's input and its k.W). */
export const isTween = (record) => TWEEN_KINDS.includes(record.kind);

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
  const points = meta.positions ? float32le(meta.points) : float64le(meta.points);
  const { lines, samples, extent, vertices } = meta.grid;
  const grid = vertices ? float32le(vertices) : gridVertices(lines, samples, extent);
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

/** Each layer's tween frames as records with their matrix M, computed from W (maths.js), or
 * sent as numbers with positions=1. */
function tweenFrames(meta, wire, layers) {
  if (wire.tweens) return wire.tweens.map(({ name, layer, kind, t, M }) => ({ name, layer, kind, t, M }));
  const framesOf = meta.dims === 3 ? tweenFrames3d : tweenFrames2d;
  return layers.flatMap(({ W }, k) => {
    const { mirror, matrices } = framesOf(W);
    const records = meta.tween_records[k].slice(mirror ? 0 : 1);
    return records.map((record, i) => ({ ...record, M: matrices[i] }));
  });
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
   * sent stage names to their wire form (positions=1 only). Every other stage is computed from
   * the maps when first drawn and dropped by forget(), so a long history stays small.
   */
  constructor(meta, fields) {
    Object.assign(this, { positions: new Map(), encoded: new Map() }, fields);
    this.meta = meta;
    this.cache = new Map(this.positions);
    this.raw = new Map(); // unclipped positions: what the next layer reads, as in the engine
  }

  static fromWire(meta, wire) {
    const encoded = new Map((wire.stages ?? []).map((s) => [s.name, s]));
    const probability = {};
    for (const [name, field] of Object.entries(wire.probability)) {
      probability[name] = decodeField(field, meta.classes);
    }
    const layers = wire.layers.map(maps);
    const readout = maps(wire.readout);
    // each tween is its stage record ({name, layer, kind, t}) with its matrix M
    const tweens = tweenFrames(meta, wire, layers);
    const { stages, ...rest } = wire;
    return new Snapshot(meta, { ...rest, layers, readout, encoded, probability, tweens });
  }

  /** The record {name, layer, kind, t} of stage or tween frame `name`: what the stage is. */
  record(name) {
    const record = this.meta.records.get(name) ?? this.tweens.find((tw) => tw.name === name);
    if (!record) throw new Error(`no stage or tween frame ${name}`);
    return record;
  }

  /** Positions at `name` as drawn: sent ones as sent (positions=1), the rest computed from the
   * maps and, like the engine's, clipped to the position limit when any is beyond it. */
  stage(name) {
    if (this.cache.has(name)) return this.cache.get(name);
    const out = this.encoded.has(name)
      ? dequantise(this.encoded.get(name), this.meta.dims)
      : finitePositions(this.unclipped(name)).positions;
    this.cache.set(name, out);
    return out;
  }

  /** Positions at `name` before any clipping: each layer reads its input so (Network.stages). */
  unclipped(name) {
    if (this.raw.has(name)) return this.raw.get(name);
    const { dims, config } = this.meta;
    const record = this.record(name);
    if (record.kind === 'input') return this.keep(name, lift(this.meta.input, 2, dims));
    const k = record.layer;
    const layer = this.layers[k - 1];
    const inDim = layer.W[0].length;
    const previous = k === 1 ? this.meta.input : this.unclipped(this.meta.outputs[k - 1]);
    if (isTween(record)) return this.keep(name, affine(lift(previous, k === 1 ? 2 : dims, record.M[0].length), record.M));
    const stages = layerStages(previous, inDim, layer, config);
    for (const kind of Object.keys(stages)) {
      const stageName = this.meta.stage_records.find((r) => r.layer === k && r.kind === kind)?.name;
      if (stageName) this.raw.set(stageName, stages[kind]);
    }
    if (!this.raw.has(name)) throw new Error(`no stage ${name}`);
    return this.raw.get(name);
  }

  keep(name, positions) {
    this.raw.set(name, positions);
    return positions;
  }

  /** The records of the tween frames that lead into stage `name` (only k.W stages have them). */
  tweensInto(name) {
    const record = this.record(name);
    if (record.kind !== 'W') return [];
    return this.tweens.filter((tw) => tw.layer === record.layer);
  }

  /** Drop every computed array but those kept for good: old snapshots are rarely drawn. */
  forget() {
    this.cache = new Map(this.positions);
    this.raw = new Map();
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
