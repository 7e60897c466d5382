// The page's language: which one to use, t(key, values) to look a string up, and applyStrings to
// fill the data-i18n hooks. The strings themselves are in strings.js, one table per language.

import { STRINGS } from './strings.js';

export const LANGUAGES = Object.keys(STRINGS);

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

/** The string `key` in language `lang`, its {names} filled from `values`. */
export function translate(lang, key, values = {}) {
  const text = (STRINGS[lang] ?? STRINGS.en)[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** t for language `lang`, whatever the page's: what renderers are handed (look.js). */
export const translator = (lang) => (key, values) => translate(lang, key, values);

export function t(key, values = {}) {
  return translate(current, key, values);
}

/** Items as a list in the current language: "0, 1" in English, "0、1" in Chinese. */
export const list = (items) => items.join(t('list.separator'));

/** Fill every data-i18n hook under `root` with the current language's text. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
