// A following student's controls: locked (disabled, so a screen reader says so too) while the
// teacher leads, free again when the teacher lets the class explore. The page's keys that move
// the picture are held back too, and a click on a point does not trace it.

const CONTROLS = [
  '[data-controls] fieldset', '[data-presets]', '.transport button', '[data-lesson-open]',
  '[data-lesson-action="lesson-previous"]', '[data-lesson-action="lesson-next"]', '[data-lesson-action="close"]',
  '.stepper button', '.stepper input', '.stepper select', '[data-timeline]', '[data-filmstrip-toggle]',
  '[data-regions]', '[data-wide]', '[data-own-data] input', '[data-own-data] button', '[data-load-run]',
];
// where a click or tap picks something: a point to trace, a stage of the filmstrip
const PICKED = '[data-view="warp"], [data-view="field"], [data-view="filmstrip"]';
// keys that change what is shown (keys.js); P, F, T, ? only change how the page looks
const MOVING_KEYS = new Set([' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'n', 'N', '[', ']']);
const PICKING = ['pointerdown', 'mousedown', 'mouseup', 'click', 'touchstart'];

export class ControlLock {
  constructor(root) {
    this.root = root;
    this.locked = false;
    this.holdKey = (event) => {
      const typing = event.target instanceof Element && event.target.closest('input, select, textarea, dialog');
      if (this.locked && !typing && MOVING_KEYS.has(event.key)) event.stopImmediatePropagation();
    };
    this.holdPick = (event) => {
      if (this.locked) event.stopPropagation();
    };
    window.addEventListener('keydown', this.holdKey, true);
    for (const plot of root.querySelectorAll(PICKED)) {
      for (const type of PICKING) plot.addEventListener(type, this.holdPick, true);
    }
  }

  /**
   * Lock or free the controls; only those this locked are freed (a disabled lesson button stays).
   * Locking again catches a control enabled meanwhile (a lesson step enables its buttons).
   */
  set(locked) {
    if (!locked && !this.locked) return;
    this.locked = locked;
    this.root.documentElement.dataset.classLocked = String(locked);
    if (locked) {
      for (const el of this.root.querySelectorAll(CONTROLS.join(', '))) {
        if (el.disabled) continue;
        el.disabled = true;
        el.dataset.classLock = '';
      }
    } else {
      for (const el of this.root.querySelectorAll('[data-class-lock]')) {
        el.disabled = false;
        delete el.dataset.classLock;
      }
    }
  }
}
