// The sample the playground moves with the grid: points filling the disk of radius 1.1 evenly
// (a sunflower spiral, so no randomness and the same picture on every visit), in two classes
// split by a curve with no mirror symmetry, so a reflection is plain to see.

const COUNT = 160;
const RADIUS = 1.1;
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/** {points: flat [x0, y0, …], classes: [0 | 1, …]}. */
export function samplePoints() {
  const points = new Float64Array(COUNT * 2);
  const classes = [];
  for (let i = 0; i < COUNT; i++) {
    const r = RADIUS * Math.sqrt((i + 0.5) / COUNT);
    const angle = i * GOLDEN_ANGLE;
    const x = r * Math.cos(angle);
    const y = r * Math.sin(angle);
    points[2 * i] = x;
    points[2 * i + 1] = y;
    classes.push(y > 0.8 * x * x + 0.25 * x - 0.35 ? 1 : 0);
  }
  return { points, classes };
}
