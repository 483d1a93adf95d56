/* workshop-tui participant page (vanilla ES2020, no build step, no external resources).
 *
 * Architecture, in one screen:
 * - One `state` object (workshop, me, ideas + a few local UI fields) is the only source of truth.
 * - `refresh()` re-fetches workshop + me + ideas in parallel; `render()` redraws from `state`.
 *   Nothing else touches the DOM. Dynamic nodes are built with `el()` (createElement/textContent
 *   only: participant text is never parsed as HTML).
 * - Writes go through `act()`: it calls the JSON API, shows errors in the #status live region,
 *   honours 429 Retry-After (all write buttons disabled, countdown) and then refreshes.
 * - Live updates: an EventSource on /events; any event schedules a debounced refresh. We also
 *   refresh on (re)open, on `online` and when the page becomes visible again.
 * - Auth: the join token lives in localStorage (`wt.token.CODE`) and is sent as a Bearer header;
 *   the HttpOnly cookie set by /join covers the EventSource and storage-less browsers.
 * - All UI strings live in `S` below, for later translation.
 */
'use strict';

const S = {
  phases: { lobby: 'Lobby', ideate: 'Ideas', group: 'Grouping', vote: 'Voting', teams: 'Teams',
    backlog: 'Backlog', closed: 'Closed' },
  pageTitle: 'Workshop',
  joinHeading: 'Join the workshop',
  nameLabel: 'Your name (optional)',
  skillsLabel: 'Skills or role (optional, separated by commas)',
  joinButton: 'Join',
  joined: 'You are in!',
  welcome: (name) => (name ? `Welcome, ${name}!` : 'Welcome!'),
  waiting: 'Waiting for the facilitator to start…',
  ideaLabel: 'Your idea (one per note)',
  postButton: 'Post idea',
  posted: 'Posted!',
  counter: (n, max) => `${n} / ${max}`,
  tooLong: (n, max) => `${n} / ${max}: too long`,
  myNotes: 'My notes',
  noNotes: 'No notes yet.',
  edit: 'Edit', save: 'Save', cancel: 'Cancel', del: 'Delete', reallyDelete: 'Really delete?',
  editLabel: (t) => `Edit note: ${t}`,
  deleteLabel: (t) => `Delete note: ${t}`,
  saved: 'Saved.',
  deleted: 'Deleted.',
  groupHint: 'The facilitator is grouping the notes.',
  ungrouped: 'Not grouped yet',
  noIdeas: 'No notes on the wall yet.',
  dotsLeft: (n) => (n === 0 ? 'No dots left' : n === 1 ? '1 dot left' : `${n} dots left`),
  voteHint: (max) => `Tap + to add a dot, − to take it back.${max ? ` At most ${max} on one note.` : ''}`,
  votingClosed: 'Voting is not open right now.',
  votingSoon: 'Voting opens soon: the facilitator explains the rules first.',
  timeUp: "Time's up",
  timerPaused: '(paused)',
  addDot: (t) => `Add a dot to: ${t}`,
  removeDot: (t) => `Remove a dot from: ${t}`,
  myDots: (n) => `Your dots: ${n}`,
  totalDots: (n) => (n === 1 ? '1 dot in total' : `${n} dots in total`),
  rankHeading: 'Which idea would you like to work on?',
  rankHint: 'Put your favourite first. Use the arrows, then save.',
  moveUp: (t) => `Move up: ${t}`,
  moveDown: (t) => `Move down: ${t}`,
  savePrefs: 'Save my ranking',
  prefsSaved: 'Ranking saved.',
  unsaved: 'Unsaved changes.',
  noCandidates: 'The facilitator is choosing the ideas for teams…',
  yourTeam: 'Your team',
  champion: (n) => `Champion: ${n}`,
  members: 'Members',
  anonymous: 'Anonymous',
  thanks: 'Thank you for taking part!',
  summary: (ideas, dots) => `You posted ${ideas} ${ideas === 1 ? 'note' : 'notes'} and placed ${dots} ${dots === 1 ? 'dot' : 'dots'}.`,
  closedNoJoin: 'This workshop is closed.',
  reconnecting: 'reconnecting…',
  offline: 'No connection. Check your Wi-Fi.',
  tooFast: (n) => `Too fast, try again in ${n} s`,
  notFound: 'Workshop not found. Check the code and scan the QR code again.',
  badCode: 'This link has no valid workshop code.',
  rejoin: 'Your session has expired. Please join again.',
};

const $ = (id) => document.getElementById(id);
const CODE = (() => {
  const last = location.pathname.split('/').filter(Boolean).pop() || '';
  try { return decodeURIComponent(last).toUpperCase(); } catch (e) { return ''; }
})();
const BASE = `/api/v1/w/${encodeURIComponent(CODE)}`;
const TOKEN_KEY = `wt.token.${CODE}`;
const DRAFT_KEY = `wt.draft.${CODE}`;

const state = {
  token: store('get', TOKEN_KEY),
  workshop: null, me: null, ideas: [], fatal: '',
  editingId: null, confirmDeleteId: null, busy: new Set(),
  rankOrder: null, rankDirty: false, coolUntil: 0, authGen: 0,
};

/* ---------- small helpers ---------- */

function store(op, key, value) {
  try {
    if (op === 'get') return localStorage.getItem(key);
    if (op === 'set') localStorage.setItem(key, value);
    if (op === 'del') localStorage.removeItem(key);
  } catch (e) { /* storage disabled: the cookie still works */ }
  return null;
}

function el(tag, attrs = {}, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') n.textContent = v;
    else if (k === 'class') n.className = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) n.append(kid); // strings become text nodes
  return n;
}

const chars = (s) => [...s].length; // code points, like Python's len()
const maxLen = () => { const w = state.workshop || {}; return w.idea_max_length || (w.settings || {}).idea_max_length || 280; };
const cooling = () => Date.now() < state.coolUntil;
const personName = (n) => (n && String(n).trim()) || S.anonymous;

class ApiError extends Error {
  constructor(status, message, retryAfter) { super(message); this.status = status; this.retryAfter = retryAfter; }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, S.offline);
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
  if (!res.ok) {
    let msg = (data && typeof data.error === 'string' && data.error) || `${res.status} ${res.statusText}`;
    if (data && typeof data.detail === 'string' && data.detail && data.detail !== msg) msg += `: ${data.detail}`;
    throw new ApiError(res.status, msg, retryAfterSeconds(res.headers.get('Retry-After')));
  }
  return data;
}

function retryAfterSeconds(h) {
  if (!h) return 5;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(1, Math.ceil((t - Date.now()) / 1000)) : 5;
}

/* ---------- status region ---------- */

let statusTimer = 0;
function showStatus(text, kind = 'info', ms = 4000) {
  const box = $('status');
  clearTimeout(statusTimer);
  box.textContent = text;
  box.className = `status ${text ? kind : ''}`;
  if (text && ms) statusTimer = setTimeout(() => showStatus(''), ms);
}

function startCooldown(seconds) {
  state.coolUntil = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((state.coolUntil - Date.now()) / 1000);
    if (left > 0) { showStatus(S.tooFast(left), 'error', 0); setTimeout(tick, 1000); }
    else { showStatus(''); render(); }
  };
  render();
  tick();
}

function forgetToken() {
  state.token = null;
  state.authGen += 1;
  state.me = null;
  store('del', TOKEN_KEY);
}

/* Every write goes through here: errors -> status region; 401 -> join again; 429 -> cooldown. */
async function act(fn, okMessage) {
  if (cooling()) return false;
  try {
    await fn();
    if (okMessage) showStatus(okMessage, 'ok');
    scheduleRefresh(0);
    return true;
  } catch (e) {
    if (e.status === 401) { forgetToken(); showStatus(S.rejoin, 'error', 0); render(); }
    else if (e.status === 429) startCooldown(e.retryAfter);
    else { showStatus(e.message || String(e), 'error', 8000); scheduleRefresh(0); }
    return false;
  }
}

/* ---------- data ---------- */

let refreshTimer = 0, refreshing = false, refreshAgain = false;
function scheduleRefresh(delay = 300) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const wantMe = Boolean(state.token || state.me || !state.workshop); // first load: try the cookie too
    const gen = state.authGen;
    const [w, me, ideas] = await Promise.all([
      api('GET', ''),
      wantMe ? api('GET', '/me').catch((e) => (e.status === 401 ? null : Promise.reject(e))) : null,
      api('GET', '/ideas'),
    ]);
    state.workshop = w;
    state.timerAt = performance.now(); // the server's remaining_s counts from this answer: no clock skew
    if (gen !== state.authGen) refreshAgain = true; // joined meanwhile: this /me answer is stale
    else if (wantMe) {
      if (!me && state.me) showStatus(S.rejoin, 'error', 0);
      if (!me && state.token) forgetToken();
      state.me = me;
    }
    state.ideas = Array.isArray(ideas) ? ideas : [];
    state.fatal = '';
  } catch (e) {
    if (e.status === 404) { state.fatal = S.notFound; stopEvents(); }
    else showStatus(e.message, 'error', 6000);
  } finally {
    refreshing = false;
    render();
    if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
  }
}

let source = null, retryDelay = 2000;
function stopEvents() {
  if (source) source.close();
  source = null;
  setConn(false);
}

function connectEvents() {
  stopEvents();
  if (state.fatal) return;
  const es = new EventSource(`${BASE}/events`);
  source = es;
  const onEvent = () => scheduleRefresh();
  es.onopen = () => { retryDelay = 2000; setConn(false); scheduleRefresh(); };
  es.onmessage = onEvent;
  for (const type of ['phase_changed', 'results_revealed', 'idea_posted', 'idea_updated', 'idea_removed',
    'vote_changed', 'teams_formed', 'team_changed', 'workshop_updated']) es.addEventListener(type, onEvent);
  es.onerror = () => {
    setConn(true); // CONNECTING: the browser retries by itself
    if (es.readyState === EventSource.CLOSED) { // it gave up (e.g. an HTTP error): retry ourselves
      setTimeout(() => { if (source === es) connectEvents(); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }
  };
}

function setConn(lost) {
  $('conn').textContent = S.reconnecting;
  $('conn').hidden = !lost;
}

/* ---------- derived data ---------- */

function myDotsOn(ideaId) {
  if (!state.me) return 0;
  if (Array.isArray(state.me.votes)) { // authoritative; ideas[].my_dots is only a fallback
    const v = state.me.votes.find((x) => x.idea_id === ideaId);
    return v ? v.dots : 0;
  }
  const idea = state.ideas.find((i) => i.id === ideaId);
  return (idea && idea.my_dots) || 0;
}

function myIdeas() {
  if (state.me && Array.isArray(state.me.ideas)) return state.me.ideas;
  return state.ideas.filter((i) => i.mine);
}

function candidateIdeas() {
  const ids = state.workshop && state.workshop.candidate_idea_ids;
  if (!Array.isArray(ids)) return state.ideas;
  const byId = new Map(state.ideas.map((i) => [i.id, i]));
  return ids.map((id) => byId.get(id)).filter(Boolean);
}

/* ---------- rendering ---------- */

/* The facilitator's phase timer, counted down locally from the server's last answer. */
const TIMED = new Set(['lobby', 'ideate', 'group', 'vote', 'teams']);
function renderTimer() {
  const box = $('timer');
  const w = state.workshop;
  const t = w && w.timer;
  if (!t || !TIMED.has(w.phase)) { box.hidden = true; return; }
  const gone = t.running ? (performance.now() - (state.timerAt || 0)) / 1000 : 0;
  const left = Math.max(0, Math.ceil(t.remaining_s - gone));
  const up = left === 0 && t.duration_s > 0;
  box.hidden = false;
  box.className = `timer ${up ? 'up' : t.running ? 'running' : 'paused'}`;
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  box.textContent = up ? S.timeUp : `${mm}:${String(left % 60).padStart(2, '0')}${t.running ? '' : ` ${S.timerPaused}`}`;
}
setInterval(renderTimer, 1000);

function render() {
  renderTimer();
  const w = state.workshop;
  const phase = (w && w.phase) || '';
  document.body.dataset.phase = phase;
  document.title = (w && w.title) || S.pageTitle;
  $('title').textContent = (w && w.title) || '';
  $('prompt').textContent = (w && w.prompt) || '';
  $('phase-label').textContent = S.phases[phase] || phase;
  $('phase-label').dataset.phase = phase;

  const joined = Boolean(state.me);
  const view = state.fatal || !w ? null
    : !joined ? (phase === 'closed' ? 'end' : 'join')
      : { lobby: 'lobby', ideate: 'ideate', group: 'group', vote: 'vote', teams: 'teams' }[phase] || 'end';
  if (state.fatal) showStatus(state.fatal, 'error', 0);

  const focusKey = document.activeElement && document.activeElement.dataset.key;
  for (const v of ['join', 'lobby', 'ideate', 'group', 'vote', 'teams', 'end']) $(`${v}-view`).hidden = v !== view;
  $('end-ideas-view').hidden = !(view === 'end' && joined);
  const showTeam = joined && Boolean(state.me.team) && (view === 'teams' || view === 'end');
  $('team-panel').hidden = !showTeam;

  const dotsLeft = $('dots-left');
  dotsLeft.hidden = view !== 'vote';
  if (view === 'vote') dotsLeft.textContent = S.dotsLeft(state.me.remaining_dots ?? 0);

  if (view === 'lobby') $('welcome').textContent = S.welcome(state.me.name);
  if (view === 'ideate') renderIdeate();
  if (view === 'group') renderGroup();
  if (view === 'vote') renderVote();
  if (view === 'teams') renderTeams();
  if (view === 'end') renderEnd(joined);
  if (showTeam) renderTeam(state.me.team);
  $('join-button').disabled = cooling();

  if (focusKey) refocus(focusKey); // keep keyboard/screen-reader focus across redraws
}

function refocus(key) {
  const again = [...document.querySelectorAll('[data-key]')].find((n) => n.dataset.key === key);
  if (again && again !== document.activeElement && !again.disabled) again.focus();
}

function noteText(idea) {
  return el('p', { class: 'note-text', text: idea.text });
}

function updateCounter() {
  const n = chars($('idea-text').value.trim());
  const max = maxLen();
  const counter = $('idea-counter');
  counter.textContent = n > max ? S.tooLong(n, max) : S.counter(n, max);
  counter.classList.toggle('over', n > max);
  counter.classList.toggle('near', n <= max && n > max * 0.9);
  $('post-idea').disabled = n === 0 || n > max || cooling();
}

function renderIdeate(force = false) {
  updateCounter();
  const mine = myIdeas();
  if (state.editingId && !mine.some((i) => i.id === state.editingId)) state.editingId = null;
  if (state.editingId && !force) return; // a live update must not wipe a note being edited
  $('my-ideas').replaceChildren(...mine.map(myIdeaCard));
  if (!mine.length) $('my-ideas').append(el('li', { class: 'empty', text: S.noNotes }));
}

function myIdeaCard(idea) {
  if (idea.id === state.editingId) return editCard(idea);
  const confirming = state.confirmDeleteId === idea.id;
  return el('li', { class: 'note mine', 'data-idea-id': idea.id },
    noteText(idea),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'btn edit-idea', 'data-key': `edit:${idea.id}`,
        'aria-label': S.editLabel(idea.text), disabled: cooling(), text: S.edit,
        onclick: () => { state.editingId = idea.id; state.confirmDeleteId = null; renderIdeate(true); } }),
      el('button', { type: 'button', class: `btn delete-idea${confirming ? ' danger' : ''}`,
        'data-key': `del:${idea.id}`, 'aria-label': confirming ? S.reallyDelete : S.deleteLabel(idea.text),
        disabled: cooling(), text: confirming ? S.reallyDelete : S.del,
        onclick: () => deleteIdea(idea) })));
}

function editCard(idea) {
  const area = el('textarea', { class: 'edit-text', rows: 4, 'aria-label': S.editLabel(idea.text) });
  area.value = idea.text;
  const save = el('button', { type: 'submit', class: 'btn primary save-edit', disabled: cooling(), text: S.save });
  const form = el('form', { class: 'edit-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const text = area.value.trim();
    if (chars(text) > maxLen()) { showStatus(S.tooLong(chars(text), maxLen()), 'error'); return; }
    if (!text) return;
    save.disabled = true;
    const ok = await act(() => api('PATCH', `/ideas/${encodeURIComponent(idea.id)}`, { text }), S.saved);
    save.disabled = false;
    if (ok) stopEditing(idea.id);
  } },
  area,
  el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'btn cancel-edit', text: S.cancel,
      onclick: () => stopEditing(idea.id) }),
    save));
  setTimeout(() => area.focus(), 0);
  return el('li', { class: 'note mine editing', 'data-idea-id': idea.id }, form);
}

function stopEditing(id) {
  state.editingId = null;
  renderIdeate(true);
  refocus(`edit:${id}`);
}

async function deleteIdea(idea) {
  if (state.confirmDeleteId !== idea.id) { // two taps instead of a blocking confirm() dialog
    state.confirmDeleteId = idea.id;
    renderIdeate(true);
    refocus(`del:${idea.id}`);
    setTimeout(() => { if (state.confirmDeleteId === idea.id) { state.confirmDeleteId = null; render(); } }, 4000);
    return;
  }
  state.confirmDeleteId = null;
  await act(() => api('DELETE', `/ideas/${encodeURIComponent(idea.id)}`), S.deleted);
}

async function postIdea(ev) {
  ev.preventDefault();
  const area = $('idea-text');
  const text = area.value.trim();
  if (!text || chars(text) > maxLen() || cooling()) return;
  $('post-idea').disabled = true;
  const ok = await act(async () => {
    const idea = await api('POST', '/ideas', { text });
    if (state.me && idea && Array.isArray(state.me.ideas)) state.me.ideas = [...state.me.ideas, idea];
  }, S.posted);
  if (ok) { area.value = ''; store('del', DRAFT_KEY); }
  updateCounter();
  render();
  if (ok) area.focus();
}

function renderGroup() {
  const groups = new Map();
  for (const idea of state.ideas) {
    const key = (typeof idea.theme === 'string' ? idea.theme : idea.theme && idea.theme.name) || '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(idea);
  }
  const names = [...groups.keys()].sort((a, b) => (!a) - (!b) || a.localeCompare(b));
  const box = $('themes');
  box.replaceChildren(...names.map((name) => el('section', { class: 'theme' },
    el('h2', { class: 'theme-name', text: name || S.ungrouped }),
    el('ul', { class: 'notes' }, groups.get(name).map((i) => el('li', { class: `note${i.mine ? ' mine' : ''}` }, noteText(i)))))));
  if (!names.length) box.append(el('p', { class: 'empty', text: S.noIdeas }));
}

function renderVote() {
  const w = state.workshop;
  const open = w.voting_open !== false;
  const left = state.me.remaining_dots ?? 0;
  const maxPer = w.max_dots_per_idea || Infinity;
  const before = !open && !w.results_revealed && state.me.remaining_dots === w.dots_per_participant;
  $('vote-hint').textContent = open ? S.voteHint(w.max_dots_per_idea) : before ? S.votingSoon : S.votingClosed;
  const list = $('vote-list');
  list.replaceChildren(...state.ideas.map((idea) => {
    const mine = myDotsOn(idea.id);
    const busy = cooling(); // in-flight taps are ignored in vote(), not disabled: keeps focus
    const pips = el('span', { class: 'pips', 'aria-hidden': 'true' },
      Array.from({ length: mine }, () => el('span', { class: 'pip' })));
    return el('li', { class: `note vote-card${mine ? ' voted' : ''}`, 'data-idea-id': idea.id,
      'aria-busy': state.busy.has(idea.id) ? 'true' : null },
      noteText(idea),
      el('div', { class: 'vote-row' },
        el('button', { type: 'button', class: 'btn dot-btn remove-dot', 'data-key': `rm:${idea.id}`,
          'aria-label': S.removeDot(idea.text), disabled: !open || busy || mine === 0, text: '−',
          onclick: () => vote(idea.id, -1) }),
        el('div', { class: 'dot-info' },
          pips,
          el('span', { class: 'my-dots', text: S.myDots(mine) }),
          typeof idea.dots === 'number' ? el('span', { class: 'total-dots', text: S.totalDots(idea.dots) }) : null),
        el('button', { type: 'button', class: 'btn dot-btn add-dot', 'data-key': `add:${idea.id}`,
          'aria-label': S.addDot(idea.text), disabled: !open || busy || left <= 0 || mine >= maxPer, text: '+',
          onclick: () => vote(idea.id, +1) })));
  }));
  if (!state.ideas.length) list.append(el('li', { class: 'empty', text: S.noIdeas }));
}

async function vote(ideaId, delta) {
  if (state.busy.has(ideaId)) return;
  state.busy.add(ideaId);
  render();
  await act(async () => {
    const path = delta > 0 ? '/votes' : `/votes/${encodeURIComponent(ideaId)}`;
    const res = await api(delta > 0 ? 'POST' : 'DELETE', path, delta > 0 ? { idea_id: ideaId } : undefined);
    const votes = (state.me.votes || []).filter((v) => v.idea_id !== ideaId);
    const dots = myDotsOn(ideaId) + delta;
    state.me.votes = dots > 0 ? [...votes, { idea_id: ideaId, dots }] : votes;
    if (res && typeof res.remaining_dots === 'number') state.me.remaining_dots = res.remaining_dots;
  });
  state.busy.delete(ideaId);
  render();
}

function renderTeams() {
  const hasTeam = Boolean(state.me.team);
  $('rank-panel').hidden = hasTeam;
  if (hasTeam) return;
  const ids = candidateIdeas().map((i) => i.id);
  if (!state.rankOrder) state.rankOrder = [...(state.me.preferences || [])];
  // Reconcile with the current candidates: keep the local order, drop gone ideas, append new ones.
  state.rankOrder = state.rankOrder.filter((id) => ids.includes(id));
  for (const id of ids) if (!state.rankOrder.includes(id)) state.rankOrder.push(id);
  const byId = new Map(state.ideas.map((i) => [i.id, i]));
  const n = state.rankOrder.length;
  $('rank-list').replaceChildren(...state.rankOrder.map((id, pos) => {
    const idea = byId.get(id);
    return el('li', { class: 'note rank-item', 'data-idea-id': id },
      el('span', { class: 'rank-pos', 'aria-hidden': 'true', text: String(pos + 1) }),
      el('div', { class: 'rank-text' }, noteText(idea),
        typeof idea.dots === 'number' ? el('span', { class: 'total-dots', text: S.totalDots(idea.dots) }) : null),
      el('div', { class: 'rank-buttons' },
        el('button', { type: 'button', class: 'btn move-up', 'data-key': `up:${id}`, text: '↑',
          'aria-label': S.moveUp(idea.text), disabled: pos === 0, onclick: () => moveRank(pos, -1) }),
        el('button', { type: 'button', class: 'btn move-down', 'data-key': `down:${id}`, text: '↓',
          'aria-label': S.moveDown(idea.text), disabled: pos === n - 1, onclick: () => moveRank(pos, +1) })));
  }));
  if (!n) $('rank-list').append(el('li', { class: 'empty', text: S.noCandidates }));
  $('save-prefs').hidden = !n;
  $('save-prefs').disabled = cooling();
  $('save-prefs').textContent = S.savePrefs + (state.rankDirty ? ' •' : '');
}

function moveRank(pos, delta) {
  const order = state.rankOrder;
  [order[pos], order[pos + delta]] = [order[pos + delta], order[pos]];
  state.rankDirty = true;
  showStatus(S.unsaved, 'info', 2000);
  render();
}

async function savePrefs() {
  const ids = [...state.rankOrder];
  $('save-prefs').disabled = true;
  const ok = await act(() => api('PUT', '/preferences', { idea_ids: ids }), S.prefsSaved);
  if (ok) { state.rankDirty = false; if (state.me) state.me.preferences = ids; }
  render();
}

function renderTeam(team) {
  const members = (team.member_names || []).map((m) => el('li', { text: personName(m) }));
  $('team-body').replaceChildren(
    el('div', { class: 'note' }, el('p', { class: 'note-text', text: team.idea_text || '' })),
    team.champion_name != null ? el('p', { class: 'champion', text: S.champion(personName(team.champion_name)) }) : null,
    members.length ? el('h3', { text: S.members }) : null,
    members.length ? el('ul', { class: 'members' }, members) : null);
}

function renderEnd(joined) {
  if (!joined) { $('summary').textContent = S.closedNoJoin; return; }
  const mine = myIdeas();
  const dots = (state.me.votes || []).reduce((sum, v) => sum + (v.dots || 0), 0);
  $('summary').textContent = S.summary(mine.length, dots);
  $('end-ideas').replaceChildren(...mine.map((i) => el('li', { class: 'note mine' }, noteText(i))));
  if (!mine.length) $('end-ideas').append(el('li', { class: 'empty', text: S.noNotes }));
}

/* ---------- join ---------- */

async function join(ev) {
  ev.preventDefault();
  const name = $('join-name').value.trim();
  const skills = $('join-skills').value.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 10);
  const body = {};
  if (name) body.name = name;
  if (skills.length) body.skills = skills;
  $('join-button').disabled = true;
  await act(async () => {
    const res = await api('POST', '/join', body);
    state.token = res.token;
    state.authGen += 1;
    store('set', TOKEN_KEY, res.token);
    state.me = { participant_id: res.participant_id, name, ideas: [], votes: [], preferences: [], team: null,
      remaining_dots: (state.workshop && state.workshop.dots_per_participant) || 0 };
  }, S.joined);
  render();
}

/* ---------- start ---------- */

function init() {
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = S[node.dataset.t];
  $('conn').textContent = S.reconnecting;
  $('join-form').addEventListener('submit', join);
  $('idea-form').addEventListener('submit', postIdea);
  $('save-prefs').addEventListener('click', savePrefs);
  const area = $('idea-text');
  area.value = store('get', DRAFT_KEY) || '';
  area.addEventListener('input', () => { updateCounter(); store('set', DRAFT_KEY, area.value); });
  updateCounter();
  if (!/^[A-Z0-9]{3,12}$/.test(CODE)) { showStatus(S.badCode, 'error', 0); return; }
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') scheduleRefresh(0); });
  window.addEventListener('online', () => { scheduleRefresh(0); if (source && source.readyState === EventSource.CLOSED) connectEvents(); });
  refresh().then(connectEvents);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
