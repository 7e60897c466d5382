// The class strip under the header, drawn from the store's `classroom`: for the teacher the join
// code (large, to read aloud), its QR code and who is following; for a student whom it follows.
// A renderer of (root, classroom, t): it reads nothing else.

import { challengeText } from './board.js';

/** The code as it is read aloud, one character at a time ("7 K Q 4 M X"). */
export const spelled = (code) => [...code].join(' ');

export function renderStrip(root, classroom, t) {
  const strip = root.querySelector('[data-class]');
  strip.hidden = !classroom;
  const html = root.documentElement;
  html.dataset.classRole = classroom ? classroom.role : '';
  html.dataset.challenge = classroom?.challenge ? 'on' : 'off'; // the board takes a card's place (classroom.css)
  if (!classroom) return;
  const { role, code, mode, own, ended, roster, challenge } = classroom;
  const teacher = role === 'teacher';
  const live = !ended;
  root.querySelector('[data-class-teacher]').hidden = !teacher || !live;
  root.querySelector('[data-class-student]').hidden = teacher && live;
  if (teacher) {
    const codeEl = root.querySelector('[data-class-code]');
    codeEl.textContent = code;
    codeEl.setAttribute('aria-label', t('class.codeSpelled', { code: spelled(code) }));
    root.querySelector('[data-class-join-url]').textContent = (classroom.joinUrl ?? '').replace(/^https?:\/\//, '');
    root.querySelector('[data-class-counts]').textContent = t('class.counts', {
      joined: roster?.joined ?? 0, following: roster?.following ?? 0,
    });
    const qr = root.querySelector('[data-class-qr]');
    if (classroom.qrUrl && qr.dataset.src !== classroom.qrUrl) {
      const image = document.createElement('img');
      image.src = classroom.qrUrl;
      image.alt = t('class.qr', { url: classroom.joinUrl ?? '' });
      qr.replaceChildren(image);
      qr.dataset.src = classroom.qrUrl;
    }
  }
  let following;
  if (ended) following = t(teacher && ended === 'ended' ? 'class.endedByYou' : 'class.ended', { code });
  else if (teacher) following = '';
  else if (mode === 'follow') following = t('class.following', { code });
  else following = t(own ? 'class.exploring' : 'class.free', { code });
  root.querySelector('[data-class-following]').textContent = following;
  const locked = !teacher && live && mode === 'follow';
  root.querySelector('[data-class-locked-note]').textContent = locked ? t('class.lockedNote') : '';
  const challengeEl = root.querySelector('[data-class-challenge]');
  challengeEl.hidden = !challenge;
  challengeEl.textContent = challenge ? t('class.challenge', { text: challengeText(challenge, t) }) : '';
  const shown = {
    explore: teacher && live && mode === 'follow',
    'bring-back': teacher && live && mode === 'explore',
    challenge: teacher && live,
    end: teacher && live,
    rejoin: !teacher && live && mode === 'explore' && own,
    submit: !teacher && live && Boolean(challenge),
    leave: !teacher || !live,
  };
  for (const button of root.querySelectorAll('[data-class-action]')) {
    button.hidden = !shown[button.dataset.classAction];
  }
  // the teacher who ended the class does not "leave" it: they put its strip away
  root.querySelector('[data-class-action="leave"]').textContent = t(teacher ? 'class.close' : 'class.leave');
}
