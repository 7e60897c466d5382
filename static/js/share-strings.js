// Strings of the embed, your own data, and export, in English and 简体中文 (registered with i18n).

import { addStrings } from './i18n.js';

addStrings({
  en: {
    'embed.readout': 'step {step} of {steps} · accuracy {accuracy}%',
    'embed.noStage': 'no stage {stage}; this network has: {stages}',
    'check.unknown': 'is not a config field',
    'check.type': 'must be a value of kind {kind}',
  },
  'zh-CN': {
    'embed.readout': '第 {step} / {steps} 步 · 准确率 {accuracy}%',
    'embed.noStage': '没有阶段 {stage}；这个网络的阶段是：{stages}',
    'check.unknown': '不是配置字段',
    'check.type': '必须是 {kind} 类型的值',
  },
});
