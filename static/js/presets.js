// The presets menu and its note. Both say which preset the config *is*: picking one sets its
// config, and once any field moves away from it the menu goes back to "Choose…" and the note,
// whose claim was about that config, goes too. The URL names the preset only while it holds.

import { language } from './i18n.js';

/** The preset whose whole config `config` is (no custom points is '' here, null there), or null. */
export function matchingPreset(presets, config) {
  const same = (a, b) => String(a ?? '') === String(b ?? '');
  return presets.find((preset) => Object.keys(config).every((name) => same(config[name], preset.config[name]))) ?? null;
}

export class PresetMenu {
  /** `onPick(preset)` when the user chooses one; `presets` as /api/presets lists them. */
  constructor(root, presets, onPick) {
    this.presets = presets;
    this.select = root.querySelector('[data-presets]');
    this.note = root.querySelector('[data-preset-note]');
    this.current = null;
    const lang = language();
    for (const preset of presets) {
      const option = document.createElement('option');
      option.value = preset.name;
      option.textContent = preset.title?.[lang] ?? preset.title?.en ?? preset.name;
      this.select.append(option);
    }
    this.select.addEventListener('change', () => {
      const preset = presets.find((p) => p.name === this.select.value);
      if (preset) onPick(preset);
    });
  }

  /** Show the preset `config` is, if any, and its note; its name, or null. */
  show(config) {
    const preset = matchingPreset(this.presets, config);
    this.current = preset?.name ?? null;
    this.select.value = this.current ?? '';
    this.note.textContent = preset ? preset.explanation?.[language()] ?? preset.explanation?.en ?? '' : '';
    this.note.hidden = !this.note.textContent;
    return this.current;
  }
}
