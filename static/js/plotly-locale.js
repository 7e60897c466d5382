// Plotly's own words (mode bar, hints) and number and date formats in 简体中文: a locale we
// register ourselves, so nothing is fetched. usePlotlyLocale() waits for plotly.js to run.

import { whenPlotly } from './plotly-loader.js';

const ZH_CN = {
  moduleType: 'locale',
  name: 'zh-CN',
  dictionary: {
    'Autoscale': '自动缩放',
    'Box Select': '框选',
    'Click to enter Colorscale title': '点击输入色标标题',
    'Click to enter Component A title': '点击输入 A 分量标题',
    'Click to enter Component B title': '点击输入 B 分量标题',
    'Click to enter Component C title': '点击输入 C 分量标题',
    'Click to enter Plot title': '点击输入图表标题',
    'Click to enter X axis title': '点击输入 X 轴标题',
    'Click to enter Y axis title': '点击输入 Y 轴标题',
    'Compare data on hover': '悬停时比较数据',
    'Double-click on legend to isolate one trace': '双击图例只显示这一条',
    'Double-click to zoom back out': '双击恢复缩放',
    'Download plot': '下载图表',
    'Download plot as a png': '下载为 PNG 图片',
    'Edit in Chart Studio': '在 Chart Studio 中编辑',
    'IE only supports svg.  Changing format to svg.': 'IE 只支持 SVG，格式已改为 SVG。',
    'Lasso Select': '套索选择',
    'Orbital rotation': '轨道旋转',
    'Pan': '平移',
    'Produced with Plotly.js': '由 Plotly.js 生成',
    'Reset': '重置',
    'Reset axes': '重置坐标轴',
    'Reset camera to default': '相机恢复默认',
    'Reset camera to last save': '相机恢复上次保存',
    'Reset view': '重置视图',
    'Reset views': '重置所有视图',
    'Show closest data on hover': '悬停时显示最近的数据',
    'Snapshot succeeded': '截图成功',
    'Sorry, there was a problem downloading your snapshot!': '抱歉，下载截图时出了问题！',
    'Taking snapshot - this may take a few seconds': '正在截图，可能需要几秒钟',
    'Toggle Spike Lines': '切换辅助线',
    'Toggle show closest data on hover': '切换悬停时显示最近数据',
    'Turntable rotation': '转台旋转',
    'Zoom': '缩放',
    'Zoom in': '放大',
    'Zoom out': '缩小',
    'close:': '收盘：',
    'high:': '最高：',
    'incoming flow count:': '流入数量：',
    'kde:': '核密度：',
    'lat:': '纬度：',
    'lon:': '经度：',
    'low:': '最低：',
    'lower fence:': '下界：',
    'max:': '最大值：',
    'mean ± σ:': '均值 ± σ：',
    'mean:': '均值：',
    'median:': '中位数：',
    'min:': '最小值：',
    'new text': '新文本',
    'open:': '开盘：',
    'q1:': '第一四分位数：',
    'q3:': '第三四分位数：',
    'source:': '来源：',
    'target:': '目标：',
    'trace': '数据系列',
    'upper fence:': '上界：',
  },
  format: {
    days: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
    shortDays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
    months: ['一月', '二月', '三月', '四月', '五月', '六月', '七月', '八月', '九月', '十月', '十一月', '十二月'],
    shortMonths: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
    date: '%Y-%m-%d',
    decimal: '.',
    thousands: ',',
    grouping: [3],
    currency: ['¥', ''],
    periods: ['上午', '下午'],
  },
};

function register(lang) {
  if (lang === 'zh-CN') window.Plotly.register(ZH_CN);
  window.Plotly.setPlotConfig({ locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US' });
}

/** Give every plot `lang`'s locale, now or as soon as plotly.js has loaded (before any draw). */
export function usePlotlyLocale(lang) {
  whenPlotly(() => register(lang));
}
