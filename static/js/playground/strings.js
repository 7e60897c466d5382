// The layer playground's strings, in English and 简体中文. Importing this module adds them to
// i18n's tables; the stage descriptions (stage.W, stage.b, …) are the main page's own.

import { addStrings } from '../i18n.js';

addStrings({
  en: {
    'pg.title': 'Layer playground',
    'pg.plane': 'The plane under one layer: drag the handles',
    'pg.drag': 'Drag the handles: W·e₁ and W·e₂ are the columns of W, the square is b.',
    'pg.keys': 'Keyboard: Tab to a handle, then the arrow keys move it by 0.05 (with Shift by 0.25).',
    'pg.back': '← Back to training',
    'pg.handle': 'handle',
    'pg.column': 'W·e{j}, column {j} of W: ({x}, {y})',
    'pg.origin': 'b, where the origin goes: ({x}, {y})',
    'pg.det': 'det W = {det}',
    'pg.keeps': 'W keeps the plane’s orientation.',
    'pg.mirrors': 'W mirrors the plane (det W < 0): the tween first flips it, then stretches and turns.',
    'pg.collapses': 'W collapses the plane onto a line (det W ≈ 0): no σ can undo that.',
    'pg.mirrorFrame': 'mirror',
    'pg.open': 'Open this layer',
    'pg.openTitle': 'Open layer {k} in the layer playground',
  },
  'zh-CN': {
    'pg.title': '单层游乐场',
    'pg.plane': '一层作用下的平面：拖动手柄',
    'pg.drag': '拖动手柄：W·e₁ 和 W·e₂ 是 W 的两列，方块是 b。',
    'pg.keys': '键盘：用 Tab 选中手柄，方向键每次移动 0.05（按住 Shift 移动 0.25）。',
    'pg.back': '← 返回训练',
    'pg.handle': '手柄',
    'pg.column': 'W·e{j}，W 的第 {j} 列：（{x}，{y}）',
    'pg.origin': 'b，原点被移到的位置：（{x}，{y}）',
    'pg.det': 'det W = {det}',
    'pg.keeps': 'W 保持平面的方向。',
    'pg.mirrors': 'W 把平面镜像翻转（det W < 0）：过渡动画先翻转，再拉伸和旋转。',
    'pg.collapses': 'W 把平面压扁成一条线（det W ≈ 0）：任何 σ 都无法还原。',
    'pg.mirrorFrame': '镜像',
    'pg.open': '在游乐场中打开',
    'pg.openTitle': '在单层游乐场中打开第 {k} 层',
  },
});
