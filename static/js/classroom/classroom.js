// A class on this page: "Start a class" makes this page its teacher; /join/<code> (→ /?class=<code>)
// makes it a student that follows the teacher's moves. The class's own state (code, role, mode,
// roster, challenge, board) lives in the store (state.classroom); this wires the server's events
// to it, the teacher's moves to the server, and the strip, the lock and the board to it.

import { t } from '../i18n.js';
import { ClassApi, createClass } from './api.js';
import { renderBoard, challengeText } from './board.js';
import { challengeDialog, refusal, submitDialog } from './dialogs.js';
import { Leader } from './lead.js';
import { ControlLock } from './lock.js';
import { captureMove, Follower } from './moves.js';
import { renderStrip } from './strip.js';

const RETRY_MS = 3000;
// keys and places that do not take a student's own controls (keys.js: presentation, full screen, theme, help)
const KEEP_KEYS = new Set(['p', 'P', 'f', 'F', 't', 'T', '?', 'Tab', 'Shift', 'Control', 'Alt', 'Meta', 'Escape']);

export class Classroom {
  /**
   * page: {state, warp, run, lessons, lessonsLoaded, pacing, setPacing, withDefaults, stopMotion}
   * — the page's store and its pieces a teacher's move goes through.
   */
  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.state = page.state;
    this.api = null;
    this.source = null;
    this.leader = null;
    this.seq = -1;
    this.move = null; // the class's last state
    this.lock = new ControlLock(root);
    this.follower = new Follower(page);
    this.error = root.querySelector('[data-class-error]');
    this.noteEl = root.querySelector('[data-class-note]');
    this.board = root.querySelector('[data-class-board]');
    this.state.addEventListener('change', ({ detail }) => {
      if (detail.what === 'classroom') this.show();
    });
    const openChallenge = challengeDialog(root, { t, config: () => this.state.config, set: (c) => this.setChallenge(c) });
    const openSubmit = submitDialog(root, { t, describe: () => this.describeRun(), send: (n) => this.submit(n) });
    const actions = {
      explore: () => this.leader?.send({ mode: 'explore' }),
      'bring-back': () => this.leader?.send({ mode: 'follow' }),
      challenge: openChallenge,
      end: () => this.end(),
      rejoin: () => this.takeOwn(false),
      submit: openSubmit,
      leave: () => this.leave(),
    };
    root.querySelector('[data-class]').addEventListener('click', (event) => {
      const button = event.target.closest('[data-class-action]');
      if (button) actions[button.dataset.classAction]();
    });
    // in `explore`, a student's first move of their own stops following (the teacher's count says so)
    const ownMove = (event) => {
      const c = this.state.classroom;
      if (!c || c.role !== 'student' || c.mode !== 'explore' || c.own || c.ended || !event.isTrusted) return;
      if (event.target instanceof Element && event.target.closest('[data-class], dialog')) return;
      if (event.type === 'keydown' && KEEP_KEYS.has(event.key)) return;
      this.takeOwn(true);
    };
    root.addEventListener('pointerdown', ownMove, true);
    root.addEventListener('keydown', ownMove, true);
    root.addEventListener('change', ownMove, true); // a value typed or picked without a click
  }

  /** The class named in the page's URL, if any: lead it (this browser holds its key) or follow it. */
  async open(code) {
    if (!code) return;
    this.api = new ClassApi(code);
    const result = await this.api.info();
    if (!result.ok) {
      this.fail(refusal(result, t));
      return;
    }
    const info = result.body;
    this.api = new ClassApi(info.code);
    if (info.teacher) this.lead(info);
    else this.follow(info);
  }

  async start() {
    this.fail('');
    const result = await createClass(captureMove(this.state, this.page.pacing));
    if (!result.ok) {
      this.fail(result.status === 503 ? t('class.busy') : refusal(result, t));
      return;
    }
    this.api = new ClassApi(result.body.code);
    this.lead({ ...result.body, state: { mode: 'follow' }, roster: { joined: 0, following: 0 } });
  }

  lead(info) {
    this.page.stopMotion();
    this.state.setClassroom({
      code: info.code, role: 'teacher', mode: info.state?.mode ?? 'follow', own: false, ended: null,
      joinUrl: info.join_url, qrUrl: info.qr_url, roster: info.roster, challenge: info.challenge ?? null, board: null,
    });
    this.leader = new Leader(this.api, this.state, this.page.pacing, (result) => this.refused(result));
    this.leader.send();
    this.listen();
  }

  follow(info) {
    this.page.stopMotion();
    this.state.setClassroom({
      code: info.code, role: 'student', mode: info.state?.mode ?? 'follow', own: false, ended: null,
      roster: null, challenge: info.challenge ?? null, board: null,
    });
    if (info.state) this.take(info.state);
    this.listen();
  }

  /** (Re)open the class's events: a teacher's, or a student's following or not. */
  listen() {
    this.source?.close();
    const c = this.state.classroom;
    const source = this.api.events(c.role, !c.own);
    this.source = source;
    const on = (name, handle) => source.addEventListener(name, (event) => {
      if (this.source === source) handle(JSON.parse(event.data));
    });
    on('state', (move) => this.take(move));
    on('challenge', (challenge) => this.state.setClassroom({ challenge }));
    on('board', (board) => this.state.setClassroom({ board }));
    on('roster', (roster) => this.state.setClassroom({ roster }));
    on('ended', ({ reason }) => this.finish(reason));
    source.addEventListener('open', () => this.fail(''));
    source.addEventListener('error', () => {
      if (this.source !== source || source.readyState !== EventSource.CLOSED) return; // it retries by itself
      this.refusedStream(source);
    });
  }

  /** A stream refused (not merely dropped): ask why, and say so or try again. */
  async refusedStream(source) {
    const result = await this.api.info();
    if (this.source !== source) return;
    if (result.status === 410 || result.status === 404) {
      this.finish(result.body?.reason ?? 'ended');
      return;
    }
    this.fail(result.ok ? t('class.reconnecting') : refusal(result, t));
    setTimeout(() => {
      if (this.source === source && !this.state.classroom?.ended) this.listen();
    }, (result.retryAfter ?? RETRY_MS / 1000) * 1000);
  }

  /** The class's state arrived: a student following puts it on the page. */
  take(move) {
    if (typeof move.seq === 'number') {
      if (move.seq <= this.seq) return;
      this.seq = move.seq;
    }
    this.move = move;
    const c = this.state.classroom;
    const mode = move.mode === 'explore' ? 'explore' : 'follow';
    const broughtBack = c.own && mode === 'follow';
    if (mode !== c.mode || broughtBack) this.state.setClassroom({ mode, own: broughtBack ? false : c.own });
    if (c.role !== 'student') return;
    if (broughtBack) this.listen(); // following again: the teacher's count says so
    if (!this.state.classroom.own) this.follower.apply(move).then(() => this.lock.set(this.locked()));
  }

  /** A student in `explore` takes their own controls (own) or goes back to the teacher's. */
  takeOwn(own) {
    this.state.setClassroom({ own });
    this.listen();
    if (!own && this.move) this.follower.apply(this.move);
  }

  locked() {
    const c = this.state.classroom;
    return Boolean(c && c.role === 'student' && !c.ended && c.mode === 'follow');
  }

  async setChallenge(challenge) {
    const result = await this.api.setChallenge(challenge);
    if (!result.ok) return refusal(result, t);
    this.state.setClassroom({ challenge: result.body });
    // the class works on the challenge's points: the teacher's page (and so every screen) shows them
    this.state.setConfig({ ...this.state.config, ...challenge.data });
    return null;
  }

  /** The run a student submits: theirs, on the challenge's points (a lesson step the teacher moved
   * to after setting it may show others; the board compares networks on one test set). */
  submission() {
    return { ...this.state.config, ...(this.state.classroom?.challenge?.data ?? {}) };
  }

  describeRun() {
    const config = this.submission();
    return t('class.submitWhat', {
      dataset: t(`choice.dataset.${config.dataset}`), layers: config.layers, width: config.width,
      activation: t(`choice.activation.${config.activation}`), steps: config.steps,
    });
  }

  async submit(nickname) {
    const result = await this.api.submit(this.submission(), nickname || undefined);
    if (!result.ok) return refusal(result, t);
    this.note(t('class.submitted'));
    return null;
  }

  async end() {
    const result = await this.api.end();
    if (!result.ok && result.status !== 410) {
      this.fail(refusal(result, t));
      return;
    }
    this.finish('ended');
  }

  /** The class is over (ended by its teacher, or expired): the page is the student's own again. */
  finish(reason) {
    this.source?.close();
    this.source = null;
    this.leader?.stop();
    this.leader = null;
    this.note(''); // "submitted" is about a board that is over
    this.state.setClassroom({ ended: reason || 'ended' });
  }

  leave() {
    this.finish('left');
    this.state.setClassroom(null);
  }

  /** The teacher's post refused: a page that does not hold the key cannot lead. */
  refused(result) {
    if (result.status === 410 || result.status === 404) this.finish(result.body?.reason ?? 'ended');
    else this.fail(refusal(result, t));
  }

  fail(message) {
    this.note('');
    this.error.textContent = message;
  }

  /** Good news (a run submitted): said as a status, not in the error's warning colour. */
  note(message) {
    this.error.textContent = '';
    this.noteEl.textContent = message;
  }

  show() {
    const c = this.state.classroom;
    // a key pressed on "Start a class", "Let them explore" or "End the class" hides that button:
    // focus goes to the strip's first button, not back to the top of the page
    const focused = this.root.activeElement;
    const moved = focused?.matches('[data-class-start], [data-class-action]');
    renderStrip(this.root, c, t);
    if (moved && !focused.getClientRects().length) {
      const next = [...this.root.querySelectorAll('[data-class-action]')].find((el) => el.getClientRects().length);
      next?.focus();
    }
    this.lock.set(this.locked());
    const card = this.root.querySelector('[data-card="board"]');
    card.hidden = !c?.challenge;
    if (c?.challenge) {
      this.root.querySelector('[data-class-board-title]').textContent = challengeText(c.challenge, t);
      renderBoard(this.board, c.board, t);
    }
  }
}
