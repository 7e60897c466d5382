// Every UI string, in English and 简体中文. Elements name their string with data-i18n
// (text), data-i18n-aria-label or data-i18n-title; code calls t(key, values).

const STRINGS = {
  en: {
    'language': 'Language',
    'presets.label': 'Preset',
    'presets.choose': 'Choose…',
    'transport.label': 'Training',
    'transport.play': 'Play',
    'transport.pause': 'Pause',
    'transport.step': 'Step',
    'transport.reset': 'Reset',
    'group.data': 'Data',
    'group.network': 'Network',
    'group.training': 'Training',
    'field.dataset': 'Data set',
    'field.points': 'Points',
    'field.noise': 'Noise',
    'field.turns': 'Spiral turns',
    'field.label_noise': 'Label noise',
    'field.test_fraction': 'Test fraction',
    'field.seed': 'Seed',
    'field.layers': 'Hidden layers',
    'field.width': 'Width',
    'field.activation': 'Activation σ',
    'field.residual': 'Residual',
    'field.init': 'Initialisation',
    'field.optimizer': 'Optimizer',
    'field.lr': 'Learning rate α',
    'field.schedule': 'Schedule',
    'field.batch_size': 'Batch size (0 = full)',
    'field.l2': 'L2 penalty',
    'field.steps': 'Steps',
    'error.number': 'must be a number',
    'error.integer': 'must be a whole number',
    'error.range': 'must be between {min} and {max}',
    'error.choice': 'must be one of {choices}',
    'error.batch': 'must be 0 (full batch) or at most points ({points})',
    'warp.title': 'How each layer warps the plane',
    'stage.previous': 'Previous stage',
    'stage.next': 'Next stage',
    'stage.slider': 'Stage',
    'stage.play': 'Play the layers',
    'stage.input': 'the input plane',
    'stage.W': 'W stretches, rotates, shears: lines stay straight and parallel',
    'stage.b': '+b shifts the plane',
    'stage.act': 'σ bends the plane',
    'stage.res': 'the residual adds the layer’s input back',
    'stage.boundary': 'Dashed: the readout’s class boundaries.',
    'stage.planes': 'Translucent: the readout’s class boundaries.',
    'stage.hint': '— {text}.',
    'timeline.label': 'Training step',
    'timeline.readout': 'step {step} of {steps}',
    'timeline.latest': 'following the newest',
    'input.title': 'Input space',
    'input.wide': 'Zoom out',
    'input.wideHint': 'Far from the data the network still answers, confidently and meaninglessly.',
    'input.edge': 'Class {classes} reaches the edge of the window: an unbounded region.',
    'curves.title': 'Loss and accuracy',
    'curves.loss': 'loss',
    'curves.acc': 'accuracy',
    'curves.train': 'train',
    'curves.test': 'test',
    'curves.step': 'step',
    'inspector.title': 'Layers',
    'inspector.layer': 'layer',
    'inspector.det': 'det W',
    'inspector.grad': '‖∂E/∂W‖',
    'inspector.collapsed': 'collapses the plane',
    'inspector.readout': 'readout',
    'inspector.separability': 'separability',
    'inspector.separabilityAxis': 'linear separability (accuracy of the best line)',
    'single.title': 'One gradient step',
    'single.rule': 'w ← w − α·∂E/∂w, α = {lr}',
    'single.loss': 'loss {before} → {after} ({change})',
    'single.before': 'W before',
    'single.after': 'W after',
    'single.direction': '(W before − W after) / α',
    'single.directionNote': 'For sgd this is ∂E/∂W; momentum and Adam step along a smoothed direction.',
    'single.gradNorm': '‖∂E/∂W‖ at step {step}: {norm}',
    'class': 'class {c}',
    'train': 'train',
    'test': 'test',
    'grid': 'grid',
    'boundary': 'boundary',
    'status.connecting': 'connecting…',
    'status.streaming': 'training…',
    'status.reconnecting': 'connection lost — reconnecting…',
    'status.resumed': 'resumed where it left off',
    'status.paused': 'paused',
    'status.done.steps': 'finished: all steps done',
    'status.done.converged': 'finished: converged',
    'status.done.duration': 'stopped: the stream reached its time limit',
    'status.done.diverged': 'diverged',
    'status.error': 'error',
    'status.stepping': 'stepping…',
    'notice.diverged': 'Training diverged at step {step}: the loss became infinite or NaN. The learning rate α = {lr} is too large for this set-up.',
    'notice.lowerLr': 'Reset with α = {lr}',
    'notice.invalid': 'Not started: {message}',
    'notice.error': 'The server reported an error: {message}',
  },
  'zh-CN': {
    'language': '语言',
    'presets.label': '预设',
    'presets.choose': '选择…',
    'transport.label': '训练',
    'transport.play': '播放',
    'transport.pause': '暂停',
    'transport.step': '单步',
    'transport.reset': '重置',
    'group.data': '数据',
    'group.network': '网络',
    'group.training': '训练',
    'field.dataset': '数据集',
    'field.points': '点数',
    'field.noise': '噪声',
    'field.turns': '螺旋圈数',
    'field.label_noise': '标签噪声',
    'field.test_fraction': '测试集比例',
    'field.seed': '随机种子',
    'field.layers': '隐藏层数',
    'field.width': '宽度',
    'field.activation': '激活函数 σ',
    'field.residual': '残差',
    'field.init': '初始化',
    'field.optimizer': '优化器',
    'field.lr': '学习率 α',
    'field.schedule': '学习率调度',
    'field.batch_size': '批大小（0 = 全批）',
    'field.l2': 'L2 惩罚',
    'field.steps': '步数',
    'error.number': '必须是数字',
    'error.integer': '必须是整数',
    'error.range': '必须在 {min} 到 {max} 之间',
    'error.choice': '必须是 {choices} 之一',
    'error.batch': '必须为 0（全批）或不超过点数（{points}）',
    'warp.title': '每一层如何弯折平面',
    'stage.previous': '上一阶段',
    'stage.next': '下一阶段',
    'stage.slider': '阶段',
    'stage.play': '逐层播放',
    'stage.input': '输入平面',
    'stage.W': 'W 拉伸、旋转、错切：直线仍是直线，平行线仍然平行',
    'stage.b': '+b 平移平面',
    'stage.act': 'σ 弯折平面',
    'stage.res': '残差把这一层的输入加回来',
    'stage.boundary': '虚线：输出层的类别边界。',
    'stage.planes': '半透明平面：输出层的类别边界。',
    'stage.hint': '——{text}。',
    'timeline.label': '训练步',
    'timeline.readout': '第 {step} 步，共 {steps} 步',
    'timeline.latest': '跟随最新',
    'input.title': '输入空间',
    'input.wide': '缩小视图',
    'input.wideHint': '远离数据的地方，网络依然给出回答：自信，却毫无意义。',
    'input.edge': '类别 {classes} 延伸到窗口边缘：这是一个无界区域。',
    'curves.title': '损失与准确率',
    'curves.loss': '损失',
    'curves.acc': '准确率',
    'curves.train': '训练',
    'curves.test': '测试',
    'curves.step': '步',
    'inspector.title': '各层',
    'inspector.layer': '层',
    'inspector.det': 'det W',
    'inspector.grad': '‖∂E/∂W‖',
    'inspector.collapsed': '把平面压扁了',
    'inspector.readout': '输出层',
    'inspector.separability': '可分性',
    'inspector.separabilityAxis': '线性可分性（最佳直线的准确率）',
    'single.title': '一次梯度下降',
    'single.rule': 'w ← w − α·∂E/∂w，α = {lr}',
    'single.loss': '损失 {before} → {after}（{change}）',
    'single.before': '更新前的 W',
    'single.after': '更新后的 W',
    'single.direction': '(更新前 W − 更新后 W) / α',
    'single.directionNote': '对 sgd 而言这就是 ∂E/∂W；动量法和 Adam 沿平滑后的方向前进。',
    'single.gradNorm': '第 {step} 步的 ‖∂E/∂W‖：{norm}',
    'class': '类别 {c}',
    'train': '训练',
    'test': '测试',
    'grid': '网格',
    'boundary': '边界',
    'status.connecting': '连接中…',
    'status.streaming': '训练中…',
    'status.reconnecting': '连接中断——正在重连…',
    'status.resumed': '已从中断处继续',
    'status.paused': '已暂停',
    'status.done.steps': '完成：所有步数已训练',
    'status.done.converged': '完成：已收敛',
    'status.done.duration': '已停止：数据流达到时间上限',
    'status.done.diverged': '发散',
    'status.error': '错误',
    'status.stepping': '单步中…',
    'notice.diverged': '训练在第 {step} 步发散：损失变成了无穷大或 NaN。学习率 α = {lr} 对这个设置来说太大了。',
    'notice.lowerLr': '以 α = {lr} 重新开始',
    'notice.invalid': '未开始：{message}',
    'notice.error': '服务器报告了一个错误：{message}',
  },
};

export const LANGUAGES = Object.keys(STRINGS);

/** Feature modules bring their own strings: {en: {…}, 'zh-CN': {…}}. */
export function addStrings(table) {
  for (const [lang, strings] of Object.entries(table)) Object.assign(STRINGS[lang] ??= {}, strings);
}
let current = 'en';

/** The language to use: ?lang= if known, else the browser's, else English. */
export function pickLanguage(search = location.search, browser = navigator.languages || []) {
  const asked = new URLSearchParams(search).get('lang');
  if (asked && STRINGS[asked]) return asked;
  for (const tag of browser) {
    if (STRINGS[tag]) return tag;
    if (tag.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (tag.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export function setLanguage(lang) {
  current = STRINGS[lang] ? lang : 'en';
  document.documentElement.lang = current;
  return current;
}

export const language = () => current;

export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Fill every data-i18n hook under `root` with the current language's text. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
