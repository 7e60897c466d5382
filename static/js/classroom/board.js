// The challenge board, drawn from GET /api/class/<code>/board (or its `board` events): a pure
// renderer of (element, board, t). Nicknames are a student's text: textContent, never HTML.

const RANKS = {
  parameters: 'class.rankParameters', layers: 'class.rankLayers', steps: 'class.rankSteps', accuracy: 'class.rankAccuracy',
};
const STATUSES = { queued: 'class.queued', training: 'class.training', failed: 'class.failed' };

/** The challenge in words: its title, else "spiral3: test accuracy ≥ 95 %, fewest parameters". */
export function challengeText(challenge, t) {
  if (!challenge) return '';
  if (challenge.title) return challenge.title;
  const dataset = challenge.data?.dataset ?? '';
  return t('class.challengeText', {
    dataset: t(`choice.dataset.${dataset}`),
    goal: Math.round(challenge.goal * 100),
    rank: t(RANKS[challenge.rank_by] ?? RANKS.parameters),
  });
}

const cell = (row, text, tag = 'td') => {
  const el = document.createElement(tag);
  el.textContent = text;
  row.append(el);
  return el;
};

/** The entry's result: its test accuracy, the measure it is ranked by, or where it is. */
function result(entry, t) {
  if (entry.status === 'measured' && entry.measured) {
    const { measured } = entry;
    return [`${(measured.acc_test * 100).toFixed(1)} %`, String(measured.parameters), String(measured.layers)];
  }
  const status = t(STATUSES[entry.status] ?? STATUSES.queued);
  return [entry.reason ? `${status}: ${entry.reason}` : status, '', ''];
}

/** Draw `board` into `el`: a table of the entries, best first, each opening its run. */
export function renderBoard(el, board, t) {
  const entries = board?.entries ?? [];
  const table = document.createElement('table');
  table.className = 'class-board';
  const caption = document.createElement('caption');
  caption.textContent = entries.length ? t('class.entries', { n: entries.length }) : t('class.noEntries');
  const head = document.createElement('tr');
  for (const key of ['class.rank', 'class.who', 'class.accuracy', 'class.parameters', 'class.layers', 'class.run']) {
    cell(head, t(key), 'th').scope = 'col';
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  for (const entry of entries) {
    const row = document.createElement('tr');
    row.dataset.entry = String(entry.id);
    row.dataset.status = entry.status;
    if (entry.meets_goal) row.dataset.meetsGoal = '';
    cell(row, entry.rank ? String(entry.rank) : '—');
    cell(row, entry.nickname || t('class.anonymous'), 'th').scope = 'row';
    for (const text of result(entry, t)) cell(row, text);
    const open = cell(row, '');
    if (typeof entry.run_url === 'string' && entry.run_url.startsWith('/?')) {
      const link = document.createElement('a');
      link.href = entry.run_url;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = t('class.open');
      const whose = document.createElement('span');
      whose.className = 'visually-hidden'; // a list of links reads "Open: Ada's run", not "Open" ×30
      whose.textContent = t('class.whose', { who: entry.nickname || t('class.anonymous') });
      link.append(whose);
      open.append(link);
    }
    tbody.append(row);
  }
  table.append(caption, thead, tbody);
  el.replaceChildren(table);
}
