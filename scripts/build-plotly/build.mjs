// Builds the page's two plotly.js bundles from plotly.js's own sources (the npm package pinned in
// package.json beside this file), so a first load carries only the trace types the app draws:
//
//   static/vendor/plotly-2d.min.js  plotly.js's core (scatter and the components) + contour + image;
//                                   a classic script that sets window.Plotly, as plotly.min.js did
//   static/vendor/plotly-3d.min.js  scatter3d + mesh3d (gl3d), fetched when a 3-D view is first shown
//
// The 3-D traces reach into plotly.js's registry, its Lib, Plots, Fx, Axes... and those must be the
// very instances the 2-D bundle runs (a second registry would know no trace). So the 3-D bundle
// does not repeat a module the 2-D bundle holds: the 2-D bundle lists a loader for each module both
// need (Plotly._layerwarpShared), and the 3-D bundle's copy of such a module is one line that asks for
// it. Both carry a build id; the 3-D bundle refuses a 2-D bundle of another build.
//
// Run ./build (npm ci, then this). CI never runs it: the built files are committed.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../static/vendor');
const plotlyDir = path.join(here, 'node_modules/plotly.js');
const version = JSON.parse(readFileSync(path.join(plotlyDir, 'package.json'), 'utf8')).version;

const TRACES_2D = ['contour', 'image']; // scatter is in plotly.js's core; contour brings heatmap's code
const TRACES_3D = ['scatter3d', 'mesh3d'];

// plotly.js's core registers every component any trace might use. These are ones no Layerwarp plot
// asks for (the HTML export's play button and slider are updatemenus and sliders: they stay):
// range sliders and selectors, error bars, layout images and annotations. plotly.js looks
// components up in its registry and does without one that is not there, so leaving them
// unregistered leaves their code out: 55 KB minified, 17 KB gzipped, bytes and compile time a phone
// pays before its first plot (the mode bar stays: plotly.js requires it directly). Each line must
// be found exactly once in src/core.js, or the build fails.
const UNUSED_COMPONENTS = [
  "require('./components/annotations'),",
  "require('./components/annotations3d'),",
  "require('./components/images'),",
  "require('./components/rangeslider'),",
  "require('./components/rangeselector'),",
  "require('./components/errorbars'),",
];

const fewerComponents = {
  name: 'fewer-components',
  setup(build) {
    build.onLoad({ filter: /plotly\.js[\\/]src[\\/]core\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const line of UNUSED_COMPONENTS) {
        if (text.split(line).length !== 2) throw new Error(`plotly.js's core is not as expected: ${line}`);
        text = text.replace(line, () => '');
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/** plotly.js's registry asks for maplibre-gl's CSS when a map trace registers: none here does. */
const noMapStyles = {
  name: 'no-map-styles',
  setup(build) {
    build.onResolve({ filter: /maplibre-gl\.css$/ }, () => ({ path: 'maplibre-gl.css', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: '', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  format: 'iife',
  target: 'es2016', // as plotly.js's own dist
  minify: true,
  write: false,
  metafile: true,
  absWorkingDir: here,
  logLevel: 'warning',
  legalComments: 'none', // the banner names the licence; plotly.js's dist keeps no others either
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
  plugins: [noMapStyles, fewerComponents],
  alias: { regl: '@plotly/regl', stream: 'stream-browserify' }, // as plotly.js's esbuild-config.js
};

const requireAll = (names) => names.map((name) => `require('plotly.js/lib/${name}')`).join(', ');

/** The 2-D entry: core + its traces, and a loader for each module the 3-D bundle shares. */
function entry2d(shared, build) {
  const loaders = shared.map((file) => `() => require(${JSON.stringify(`./${file}`)})`).join(',\n');
  return `var Plotly = require('plotly.js/lib/core');
Plotly.register([${requireAll(TRACES_2D)}]);
Object.defineProperty(Plotly, '_layerwarpShared', { value: { build: ${JSON.stringify(build)}, modules: [${loaders}] } });
module.exports = Plotly;`;
}

function entry3d(build) {
  return `var Plotly = window.Plotly;
if (!Plotly || !Plotly._layerwarpShared || Plotly._layerwarpShared.build !== ${JSON.stringify(build)}) {
  throw new Error('plotly-3d.min.js needs plotly-2d.min.js of the same build (${build})');
}
Plotly.register([${requireAll(TRACES_3D)}]);`;
}

// gl-plot3d (in plotly.js's stackgl_modules) redraws its scene from a requestAnimationFrame loop
// that never ends while the plot exists: a finished 3-D page burned ~3 CPU-seconds a minute doing
// nothing. Here the loop sleeps after IDLE_FRAMES frames with nothing to draw, and wakes on
// whatever can give it something: plotly.js's own redraw (every Plotly.react, relayout, camera
// set ends in glplot.redraw()), a pointer or wheel on the canvas (rotation, zoom, hover picks),
// a window resize. Each replaced text must be found exactly once, or the build fails.
const IDLE_FRAMES = 30;
const IDLE_LOOP = [
  [
    `    //Recalculate bounds
    pickDirty = pickDirty || boundsChanged
    dirty = dirty || boundsChanged

    if(!dirty) {
      return
    }`,
    `    //Recalculate bounds
    pickDirty = pickDirty || boundsChanged
    dirty = dirty || boundsChanged

    if(!dirty) {
      return false
    }`,
  ],
  [
    `  function render() {
    if(scene._stopped || scene.contextLost) {
      return
    }
    // this order is important: ios safari sometimes has sync raf
    redraw()
    requestAnimationFrame(render)
  }

  scene.enableMouseListeners()
  render()

  //Force redraw of whole scene
  scene.redraw = function() {
    if(scene._stopped) {
      return
    }
    dirty = true
    redraw()
  }`,
    `  var idleFrames = 0
  var looping = false
  function render() {
    if(scene._stopped || scene.contextLost) {
      looping = false
      return
    }
    // this order is important: ios safari sometimes has sync raf
    idleFrames = redraw() === false ? idleFrames + 1 : 0
    if(idleFrames >= ${IDLE_FRAMES}) {
      looping = false
      return
    }
    requestAnimationFrame(render)
  }
  function wake() {
    idleFrames = 0
    if(looping || scene._stopped) {
      return
    }
    looping = true
    requestAnimationFrame(render)
  }
  scene.wake = wake
  ;['pointerdown', 'pointermove', 'pointerup', 'wheel', 'touchstart', 'touchmove'].forEach(function(type) {
    canvas.addEventListener(type, wake, {passive: true})
  })
  window.addEventListener('resize', wake)

  scene.enableMouseListeners()
  looping = true
  render()

  //Force redraw of whole scene
  scene.redraw = function() {
    if(scene._stopped) {
      return
    }
    dirty = true
    redraw()
    wake()
  }`,
  ],
  [
    `    window.removeEventListener('resize', resizeListener)
    canvas.removeEventListener('webglcontextlost', checkContextLoss)`,
    `    window.removeEventListener('resize', resizeListener)
    window.removeEventListener('resize', wake)
    canvas.removeEventListener('webglcontextlost', checkContextLoss)`,
  ],
];

const idleLoop = {
  name: 'idle-gl3d-loop',
  setup(build) {
    build.onLoad({ filter: /stackgl_modules[\\/]index\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [from, to] of IDLE_LOOP) {
        if (text.split(from).length !== 2) throw new Error(`gl-plot3d's loop is not as expected: ${from.slice(0, 60)}`);
        text = text.replace(from, () => to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/** Resolve a module the 2-D bundle holds to a line that takes it from there. */
function sharedWith2d(shared) {
  const index = new Map(shared.map((file, i) => [file, i]));
  return {
    name: 'shared-with-2d',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
        const { resolveDir, kind, importer } = args;
        const found = await build.resolve(args.path, { resolveDir, kind, importer, pluginData: 'inner' });
        const at = found.errors.length ? undefined : index.get(path.relative(here, found.path));
        return at === undefined ? undefined : { path: String(at), namespace: 'plotly-2d' };
      });
      build.onLoad({ filter: /.*/, namespace: 'plotly-2d' }, (args) => ({
        contents: `module.exports = window.Plotly._layerwarpShared.modules[${args.path}]();`,
        loader: 'js',
      }));
    },
  };
}

function banner(name, traces) {
  const dist = readFileSync(path.join(plotlyDir, 'dist/plotly.min.js'), 'utf8').slice(0, 400);
  const copyright = dist.match(/\* (Copyright .*)/)[1];
  return `/**
* plotly.js v${version} — Layerwarp's ${name} bundle: ${traces.join(', ')}
* Built by scripts/build-plotly from the plotly.js package's sources (npm)
* ${copyright}
* All rights reserved.
* Licensed under the MIT license
*/`;
}

const stdin = (contents, name) => ({ contents, resolveDir: here, sourcefile: name, loader: 'js' });
const inputs = (result, format) =>
  Object.entries(result.metafile.inputs).filter(([file, input]) => !file.startsWith('<') && (!format || input.format === format)).map(([file]) => file);

// 1. what each bundle would hold on its own; the CommonJS modules in both are shared
const alone2d = await esbuild.build({ ...common, stdin: stdin(entry2d([], 'probe'), '2d.js'), globalName: 'Plotly' });
const alone3d = await esbuild.build({ ...common, stdin: stdin(entry3d('probe'), '3d.js') });
const in3d = new Set(inputs(alone3d, 'cjs'));
const shared = inputs(alone2d, 'cjs').filter((file) => in3d.has(file)).sort();
const build = createHash('sha256').update(JSON.stringify({ version, TRACES_2D, TRACES_3D, shared })).digest('hex').slice(0, 12);

// 2. the bundles themselves
const bundles = [
  ['plotly-2d.min.js', { stdin: stdin(entry2d(shared, build), '2d.js'), globalName: 'Plotly',
    banner: { js: banner('2-D', ['scatter (core)', ...TRACES_2D]) } }],
  ['plotly-3d.min.js', { stdin: stdin(entry3d(build), '3d.js'), plugins: [noMapStyles, fewerComponents, idleLoop, sharedWith2d(shared)],
    banner: { js: banner('3-D', TRACES_3D) } }],
];
for (const [name, options] of bundles) {
  const result = await esbuild.build({ ...common, ...options });
  const text = result.outputFiles[0].contents;
  writeFileSync(path.join(out, name), text);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${name}: ${kb(text.length)}, ${kb(gzipSync(text, { level: 9 }).length)} gzipped (build ${build})`);
}
console.log(`${shared.length} modules shared; plotly.js ${version}`);
