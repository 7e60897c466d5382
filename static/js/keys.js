// The keyboard: S presentation on/off (Escape leaves it), Space play/pause, ←/→ stage, [/] speed
// of the layers, ↑/↓ training step, N / P next and previous lesson step (Shift+N previous too:
// a teacher's clicker says P for "previous"), F full screen, T theme, ? the list of keys (a
// modal <dialog>). Keys are ignored while typing in a control, so sliders and menus keep their
// own arrows.

import { t } from './i18n.js';

const KEYS = [
  ['S', 'keys.present'],
  ['Esc', 'keys.presentLeave'],
  ['Space', 'keys.play'],
  ['← / →', 'keys.stage'],
  ['[ / ]', 'keys.speed'],
  ['↑ / ↓', 'keys.scrub'],
  ['N / P', 'keys.lesson'],
  ['F', 'keys.fullscreen'],
  ['T', 'keys.theme'],
  ['?', 'keys.help'],
];

/** The action named by a key event, or null. */
function actionFor(event) {
  switch (event.key) {
    case 's': case 'S': return 'present';
    case 'Escape': return 'presentLeave';
    case ' ': return 'play';
    case 'ArrowLeft': return 'stagePrevious';
    case 'ArrowRight': return 'stageNext';
    case '[': return 'slower';
    case ']': return 'faster';
    case 'ArrowUp': return 'later';
    case 'ArrowDown': return 'earlier';
    case 'n': return 'lessonNext';
    case 'N': return event.shiftKey ? 'lessonPrevious' : 'lessonNext';
    case 'p': case 'P': return 'lessonPrevious';
    case 'f': case 'F': return 'fullscreen';
    case 't': case 'T': return 'theme';
    case '?': return 'help';
    default: return null;
  }
}

/** Fill the help dialog's table with the keys, in the current language. */
function fillHelp(dialog) {
  const body = dialog.querySelector('[data-help-keys]');
  body.replaceChildren(...KEYS.map(([key, what]) => {
    const row = document.createElement('tr');
    const keyCell = document.createElement('th');
    keyCell.scope = 'row';
    const kbd = document.createElement('kbd');
    kbd.textContent = key === 'Space' ? t('keys.space') : key; // the one key with a name to translate
    keyCell.append(kbd);
    const whatCell = document.createElement('td');
    whatCell.textContent = t(what);
    row.append(keyCell, whatCell);
    return row;
  }));
}

/** handlers: action name → function. Also binds the help dialog and its open buttons. */
export function bindKeys(root, handlers) {
  const dialog = root.querySelector('[data-help]');
  fillHelp(dialog);
  const openHelp = () => {
    if (!dialog.open) dialog.showModal();
  };
  for (const button of root.querySelectorAll('[data-help-open]')) button.addEventListener('click', openHelp);
  dialog.querySelector('[data-help-close]').addEventListener('click', () => dialog.close());
  const all = { ...handlers, help: openHelp };
  root.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || event.repeat && event.key === ' ') return;
    const target = event.target instanceof Element ? event.target : null;
    const action = actionFor(event);
    // Escape means nothing to a checkbox, a radio button or a slider: there it leaves
    // presentation too (a presenter who ticked the filmstrip was stuck in it)
    const mute = action === 'presentLeave' && target?.matches('input:is([type="checkbox"], [type="radio"], [type="range"])');
    if (!mute && target?.closest('input, select, textarea, [contenteditable], dialog')) return;
    if (!action || !all[action]) return;
    if (action === 'presentLeave' && !all.presenting?.()) return; // Escape stays the browser's
    if (action === 'play' && target?.closest('button, a, summary')) return; // Space presses the button
    event.preventDefault();
    all[action]();
  });
}
