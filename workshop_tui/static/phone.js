/* workshop-tui participant page (vanilla ES2020, no build step, no external resources).
 *
 * Architecture, in one screen:
 * - One `state` object (workshop, me, ideas + a few local UI fields) is the only source of truth.
 * - `refresh()` re-fetches workshop + me + ideas in parallel; `render()` redraws from `state`.
 *   Nothing else touches the DOM. Dynamic nodes are built with `el()` (createElement/textContent
 *   only: participant text is never parsed as HTML), and every string that reaches the page (text,
 *   attributes, the title) passes `plain()` first: no control or bidi character from someone's text.
 * - Writes go through `act()`: it calls the JSON API, turns a refusal into a plain sentence from the
 *   error's machine-readable detail (`humanError`), shows it where the person is looking (the
 *   #status live region, or next to the form), honours 429 Retry-After (all write buttons disabled,
 *   countdown) and then refreshes. Typed text is never cleared by a failure or a phase change.
 * - Live updates: an EventSource on /events; any event schedules a debounced refresh, except
 *   `ready_changed`, which carries the room's counts itself (300 phones saying done must not make 300
 *   phones refetch). We also refresh on (re)open, on `online` and when the page becomes visible again.
 * - Auth: the join token lives in localStorage (`wt.token.CODE`) and is sent as a Bearer header;
 *   the HttpOnly cookie set by /join covers the EventSource and storage-less browsers.
 * - All UI strings live in `S` below, for later translation.
 */
'use strict';

/* Every word comes from the server's catalog for the page's language (GET /api/v1/i18n/LANG, built from
 * the gettext catalogs in workshop_tui/locale by workshop_tui/phone_catalog.py): `t(key, vars)`, and
 * `tn(key, count, vars)` for a plural, whose form Intl.PluralRules picks (CLDR, like the server). */
const SERVER_LANG = document.documentElement.lang || 'en'; // chosen by the server from Accept-Language
const I18N = { lang: SERVER_LANG, messages: {}, languages: {}, plural: null, number: null };
const LANG_KEY = 'wt.lang';

function fill(text, vars) {
  return String(text).replace(/\{(\w+)\}/g, (m, name) => {
    if (!vars || !(name in vars)) return m;
    const v = vars[name];
    return typeof v === 'number' ? I18N.number.format(v) : String(v);
  });
}

function t(key, vars) {
  const m = I18N.messages[key];
  return typeof m === 'string' ? fill(m, vars) : key; // a missing key shows itself: the catalog test catches it
}

function tn(key, count, vars) {
  const forms = I18N.messages[key];
  if (!forms || typeof forms !== 'object') return key;
  const form = forms[I18N.plural.select(count)] ?? forms.other;
  return fill(form, { count, ...vars });
}

async function loadMessages(lang) {
  const res = await fetch(`/api/v1/i18n/${encodeURIComponent(lang)}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`no catalog for ${lang}`);
  const data = await res.json();
  I18N.lang = data.language;
  I18N.messages = data.messages;
  I18N.languages = data.languages;
  I18N.plural = new Intl.PluralRules(I18N.lang);
  I18N.number = new Intl.NumberFormat(I18N.lang);
  document.documentElement.lang = I18N.lang;
  for (const node of document.querySelectorAll('[data-t]')) setText(node, t(node.dataset.t));
  $('lang-picker').setAttribute('aria-label', oneLine(t('language')));
}

/* The page's language: the phone's own choice (the picker, kept in localStorage) when the workshop
 * allows it, else what the server chose from Accept-Language among the workshop's languages. */
async function useLanguage(lang) {
  if (lang === I18N.lang && I18N.plural) return;
  try { await loadMessages(lang); } catch (e) { if (!I18N.plural) await loadMessages('en'); }
}

function renderPicker() {
  const allowed = (state.workshop && state.workshop.languages) || [];
  const picker = $('lang-picker');
  picker.hidden = allowed.length < 2;
  if (picker.hidden) return;
  if ([...picker.options].map((o) => o.value).join() !== allowed.join()) {
    picker.replaceChildren(...allowed.map((code) => el('option', { value: code, lang: code,
      text: I18N.languages[code] || code })));
  }
  picker.value = I18N.lang;
}

async function pickLanguage() {
  const lang = $('lang-picker').value;
  store('set', LANG_KEY, lang);
  await useLanguage(lang);
  render();
}

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
  rankOrder: null, rankDirty: false, rankNote: '', composeNote: '', coolUntil: 0, authGen: 0,
  openThemes: new Map(), timer: null, editRefs: null,
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

/* Someone's text made inert as the projector makes it (text_safety.py): bidi embeddings, overrides,
   isolates and marks would reorder what everyone reads (an override turns "evil" into "live"), controls
   would reach the tab title, a screen reader or a copied text. C0 controls (but tab and line breaks) and DEL
   become their control pictures (␛, ␡), C1, bidi, line/paragraph separators and lone surrogates U+FFFD;
   emoji stay as typed. Every sink goes through it: text nodes (`el`, `setText`), every attribute `el` sets
   (aria-label, data-*), and the document's title (`oneLine`). */
const UNSAFE = /\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const picture = (c) => {
  const code = c.charCodeAt(0);
  return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd';
};
const plain = (s) => String(s).replace(UNSAFE, picture);
const oneLine = (s) => plain(s).replace(/\s+/g, ' ').trim(); // a title or an attribute: one line
const setText = (node, s) => { node.textContent = plain(s); };

function el(tag, attrs = {}, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'text') setText(n, v);
    else if (k === 'class') n.className = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : oneLine(v));
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) n.append(typeof kid === 'string' ? plain(kid) : kid); // strings become text nodes
  return n;
}

const chars = (s) => [...s].length; // code points, like Python's len()
const maxLen = () => { const w = state.workshop || {}; return w.idea_max_length || (w.settings || {}).idea_max_length || 280; };
const cooling = () => Date.now() < state.coolUntil;
const personName = (n) => (n && String(n).trim()) || t('anonymous');
const phaseNow = () => (state.workshop && state.workshop.phase) || '';

/** The server says what a participant may do now (workshop_tui/actions.py): no phase rules of our own. */
function can(action) {
  const w = state.workshop;
  return Boolean(w && Array.isArray(w.allowed_actions) && w.allowed_actions.includes(action));
}

class ApiError extends Error {
  constructor(status, message, retryAfter, detail) {
    super(message);
    this.status = status; this.retryAfter = retryAfter; this.detail = detail;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'Accept-Language': I18N.lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, t('offline'));
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
  if (!res.ok) {
    const message = (data && typeof data.message === 'string' && data.message) || ''; // in the page's language; `code` is for tools
    throw new ApiError(res.status, message, retryAfterSeconds(res.headers.get('Retry-After')), data && data.detail);
  }
  return data;
}

function retryAfterSeconds(h) {
  if (!h) return 5;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(1, Math.ceil(n));
  const tm = Date.parse(h);
  return Number.isFinite(tm) ? Math.max(1, Math.ceil((tm - Date.now()) / 1000)) : 5;
}

function notNow(action, phase) {
  const what = I18N.messages[`refused.${action}`] ? t(`refused.${action}`) : t('failed').replace(/\.$/, '');
  return phase ? t('refusal', { what, why: t(`because.${phase}`) }) : t('refusalShort', { what });
}

/* A refusal in plain words, from the status and the error's detail (`action`/`phase` of a phase
 * refusal, `reason` of a dot or note conflict); the server's English message is for developers. */
function humanError(e, doing) {
  const d = e.detail && typeof e.detail === 'object' && !Array.isArray(e.detail) ? e.detail : {};
  const reason = typeof d.reason === 'string' && I18N.messages[`reason.${d.reason}`] ? `reason.${d.reason}` : null;
  if (e.status === 0) return t('offline');
  if (reason) return t(reason, d);
  if (e.status === 409 && typeof d.action === 'string') return notNow(d.action, d.phase);
  if (e.status === 409 && doing === 'join') return t('closedNoJoin');
  if (e.status === 404) return doing === 'join' ? t('notFound') : t('noteGone');
  if ((e.status === 413 || e.status === 422) && (doing === 'post_idea' || doing === 'edit_own_idea')) return t('badNote', { max: maxLen() });
  if (e.status === 413 || e.status === 422) return t('badInput');
  if (e.status >= 500) return t('serverTrouble');
  return e.message || t('failed'); // the server's own words, in the page's language (Accept-Language)
}

/* ---------- status region ---------- */

let statusTimer = 0;
function showStatus(text, kind = 'info', ms = 4000) {
  const box = $('status');
  clearTimeout(statusTimer);
  setText(box, text);
  box.className = `status ${text ? kind : ''}`;
  if (text && ms) statusTimer = setTimeout(() => showStatus(''), ms);
}

function startCooldown(seconds) {
  state.coolUntil = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.ceil((state.coolUntil - Date.now()) / 1000);
    if (left > 0) { showStatus(t('tooFast', { seconds: left }), 'error', 0); setTimeout(tick, 1000); }
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

/* Every write goes through here: refusals -> a plain sentence for `report` (default: the status
 * region); 401 -> join again; 429 -> cooldown. `doing` is the action from workshop_tui/actions.py. */
async function act(doing, fn, { ok = '', report = (text, kind) => showStatus(text, kind, kind === 'error' ? 8000 : 4000) } = {}) {
  if (cooling()) return false;
  try {
    await fn();
    if (ok) report(ok, 'ok');
    scheduleRefresh(0);
    return true;
  } catch (e) {
    if (e.status === 401) { forgetToken(); showStatus(t('rejoin'), 'error', 0); render(); }
    else if (e.status === 429) startCooldown(e.retryAfter);
    else { report(humanError(e, doing), 'error'); scheduleRefresh(0); }
    return false;
  }
}

/* ---------- data ---------- */

let refreshTimer = 0, refreshing = false, refreshAgain = false; // 0: none pending (tests wait for quiet)
function scheduleRefresh(delay = 300) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { refreshTimer = 0; refresh(); }, delay);
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
    if (state.workshop && state.workshop.phase !== w.phase) { state.composeNote = ''; state.rankNote = ''; }
    state.workshop = w;
    const allowed = Array.isArray(w.languages) ? w.languages : [];
    if (allowed.length && !allowed.includes(I18N.lang)) await useLanguage(allowed.includes(SERVER_LANG) ? SERVER_LANG : w.language);
    syncTimer(w.timer, w.phase);
    if (gen !== state.authGen) refreshAgain = true; // joined meanwhile: this /me answer is stale
    else if (wantMe) {
      if (!me && state.me) showStatus(t('rejoin'), 'error', 0);
      if (!me && state.token) forgetToken();
      state.me = me;
    }
    state.ideas = Array.isArray(ideas) ? ideas : [];
    state.fatal = '';
  } catch (e) {
    if (e.status === 404) { state.fatal = t('notFound'); stopEvents(); }
    else showStatus(humanError(e, 'read'), 'error', 6000);
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
  es.onopen = () => { retryDelay = 2000; setConn(false); scheduleRefresh(); };
  es.onmessage = (msg) => { // every message is a plain `data:` line (server/sse.py)
    let data = null;
    try { data = JSON.parse(msg.data); } catch (e) { /* not ours: refetch */ }
    if (data && data.type === 'ready_changed' && state.workshop) { // the counts themselves: no refetch
      state.workshop.ready = data.ready;
      state.workshop.private_notes = data.private_notes;
      render();
    } else scheduleRefresh();
  };
  es.onerror = () => {
    setConn(true); // CONNECTING: the browser retries by itself
    if (es.readyState === EventSource.CLOSED) { // it gave up (e.g. an HTTP error): retry ourselves
      setTimeout(() => { if (source === es) connectEvents(); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }
  };
}

function setConn(lost) {
  setText($('conn'), t('reconnecting'));
  $('conn').hidden = !lost;
}

/* ---------- timer ---------- */

/* The room's phase timer. The server says how many seconds were left when it answered
 * (`seconds_left`); we count down on our own monotonic clock from there, so a phone whose clock is
 * wrong still shows the room's time. Shown once started (a timer still at its full timebox is not
 * news), only for the current phase (a clock for another phase is stale). */
let timerTick = 0;
function syncTimer(timer, phase) {
  const tm = timer && typeof timer === 'object' && typeof timer.seconds_left === 'number' && timer.phase === phase
    && (timer.running || timer.seconds_left < timer.seconds) ? timer : null;
  const left = tm ? Math.max(0, tm.seconds_left) : 0;
  const wasUp = Boolean(state.timer && timeLeft() === 0);
  state.timer = tm && { running: Boolean(tm.running), remaining: left, endsAt: performance.now() + left * 1000,
    announced: wasUp && left === 0 };
  clearInterval(timerTick);
  if (state.timer && state.timer.running) timerTick = setInterval(renderTimer, 1000);
}

function timeLeft() {
  const tm = state.timer;
  return Math.ceil(tm.running ? Math.max(0, tm.endsAt - performance.now()) / 1000 : tm.remaining);
}

const two = (n) => String(n).padStart(2, '0');
const clock = (s) => (s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
  : `${Math.floor(s / 60)}:${two(s % 60)}`);

function renderTimer() {
  const box = $('timer');
  const tm = state.timer;
  box.hidden = !tm;
  if (!tm) return;
  const left = timeLeft();
  setText(box, left === 0 ? t('timeUp') : tm.running ? t('timeLeft', { time: clock(left) }) : t('timePaused', { time: clock(left) }));
  box.classList.toggle('soon', left > 0 && left <= 60);
  box.classList.toggle('ended', left === 0);
  if (left === 0 && tm.running) {
    clearInterval(timerTick);
    if (!tm.announced) { tm.announced = true; showStatus(t('timeUpNote'), 'info', 6000); } // once, quietly: no sound
  }
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

const themeName = (idea) => (typeof idea.theme === 'string' ? idea.theme : idea.theme && idea.theme.name) || '';

/* [[theme name, ideas]] by name, the ungrouped ('') last; ideas keep the wall's order. */
function byTheme(ideas) {
  const groups = new Map();
  for (const idea of ideas) {
    const key = themeName(idea);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(idea);
  }
  return [...groups.entries()].sort(([a], [b]) => (!a) - (!b) || a.localeCompare(b));
}

const voteOpen = () => state.workshop.voting_open !== false && can('cast_dot');
const revealed = () => state.ideas.some((i) => typeof i.dots === 'number');

/* Ideas by dots, most first; equal dots share a rank (1, 2, 2, 4) and are marked as tied. */
function ranked(ideas) {
  const sorted = ideas.filter((i) => typeof i.dots === 'number').sort((a, b) => b.dots - a.dots); // stable: wall order
  const count = new Map();
  for (const i of sorted) count.set(i.dots, (count.get(i.dots) || 0) + 1);
  let rank = 0;
  return sorted.map((idea, k) => {
    if (k === 0 || sorted[k - 1].dots !== idea.dots) rank = k + 1;
    return { idea, rank, tied: count.get(idea.dots) > 1 };
  });
}

/* ---------- rendering ---------- */

// Where the participant's name goes, said where they type it (GET /w/{code}'s author_names).
const NAME_NOTES = { projected: 'nameProjected', records: 'nameRecords', hidden: 'nameHidden' };
const VIEWS = ['join', 'lobby', 'ideate', 'group', 'vote', 'teams', 'end'];

function render() {
  const w = state.workshop;
  const phase = phaseNow();
  document.body.dataset.phase = phase;
  document.title = oneLine((w && w.title) || t('pageTitle'));
  setText($('title'), (w && w.title) || '');
  setText($('prompt'), (w && w.prompt) || '');
  setText($('phase-label'), (phase ? t(`phase.${phase}`) : ''));
  $('phase-label').dataset.phase = phase;

  const joined = Boolean(state.me);
  const view = state.fatal || !w ? null
    : !joined ? (can('join') ? 'join' : 'end')
      : { lobby: 'lobby', ideate: 'ideate', group: 'group', vote: 'vote', teams: 'teams' }[phase] || 'end';
  if (state.fatal) showStatus(state.fatal, 'error', 0);

  const focusKey = document.activeElement && document.activeElement.dataset.key;
  for (const v of VIEWS) $(`${v}-view`).hidden = v !== view;
  const editing = joined && Boolean(state.editingId) && Boolean(view) && view !== 'join';
  if (editing) $('ideate-view').hidden = false; // what someone is typing stays in front of them
  $('end-ideas-view').hidden = !(view === 'end' && joined && myIdeas().length);
  const showTeam = joined && Boolean(state.me.team) && (view === 'teams' || view === 'end');
  $('team-panel').hidden = !showTeam;

  const dotsLeft = $('dots-left');
  dotsLeft.hidden = view !== 'vote' || !voteOpen();
  if (view === 'vote') setText(dotsLeft, ((state.me.remaining_dots ?? 0) ? tn('dotsLeft', state.me.remaining_dots) : t('noDotsLeft')));

  if (view === 'join') setText($('name-note'), t(NAME_NOTES[w.author_names] || 'nameRecords'));
  renderCompose(view, joined);
  renderReady(view);
  if (view === 'lobby') setText($('welcome'), state.me.name ? t('welcomeName', { name: state.me.name }) : t('welcome'));
  if (view === 'ideate' || editing) renderIdeate();
  if (view === 'group') renderGroup();
  if (view === 'vote') renderVote();
  if (view === 'teams') renderTeams();
  if (view === 'end') renderEnd(joined);
  if (showTeam) renderTeam(state.me.team);
  $('join-button').disabled = cooling();
  renderTimer();
  renderPicker();

  if (focusKey) refocus(focusKey); // keep keyboard/screen-reader focus across redraws
}

function refocus(key) {
  const again = [...document.querySelectorAll('[data-key]')].find((n) => n.dataset.key === key);
  if (again && again !== document.activeElement && !again.disabled) again.focus();
}

function noteText(idea) {
  return el('p', { class: 'note-text', text: idea.text });
}

/* The note being written stays on screen, with its text, for as long as it holds unsent text:
 * a refusal or a phase change never takes away what someone typed. */
function renderCompose(view, joined) {
  const open = can('post_idea');
  const draft = $('idea-text').value.trim() !== '';
  $('compose-view').hidden = !(view === 'ideate' || (joined && draft && view && view !== 'join'));
  const note = open ? state.composeNote : `${notNow('post_idea', phaseNow())} ${t('draftKept')}`;
  setText($('compose-note'), note);
  $('compose-note').hidden = !note;
  $('compose-note').classList.toggle('error', Boolean(note));
  $('discard-draft').hidden = open;
  updateCounter();
}

function updateCounter() {
  const n = chars($('idea-text').value.trim());
  const max = maxLen();
  const counter = $('idea-counter');
  setText(counter, n > max ? t('tooLong', { count: n, max }) : t('counter', { count: n, max }));
  counter.classList.toggle('over', n > max);
  counter.classList.toggle('near', n <= max && n > max * 0.9);
  $('post-idea').disabled = n === 0 || n > max || cooling() || !can('post_idea');
}

/* "I'm done" (ideate, vote) and the room's counts, never names; in ideate, what private writing means. */
const READY_COUNTS = { writing: 'readyWriting', voting: 'readyVoting', ranking: 'readyRanking' };
function renderReady(view) {
  const w = state.workshop;
  const ready = w && w.ready && typeof w.ready === 'object' && READY_COUNTS[w.ready.task] ? w.ready : null;
  const privately = view === 'ideate' && Boolean(w.private_writing);
  const privateNotes = view === 'ideate' && typeof w.private_notes === 'number' ? w.private_notes : 0;
  const mayDone = (view === 'ideate' || view === 'vote') && can('say_done');
  const panel = $('ready-panel');
  panel.hidden = !(['ideate', 'vote', 'teams'].includes(view) && (ready || privately || privateNotes || mayDone));
  if (panel.hidden) return;
  $('private-notice').hidden = !privately;
  $('private-count').hidden = !privateNotes;
  setText($('private-count'), privateNotes ? tn('privateCount', privateNotes) : '');
  $('ready-count').hidden = !ready;
  setText($('ready-count'), ready ? tn(READY_COUNTS[ready.task], ready.done, { people: ready.people }) : '');
  const done = Boolean(state.me && state.me.done);
  const button = $('say-done');
  button.hidden = !mayDone;
  setText(button, done ? t(view === 'vote' ? 'notDoneVoting' : 'notDoneWriting')
    : doneByDots() ? t('doneChangeVotes') : t('sayDone'));
  button.setAttribute('aria-pressed', String(done || doneByDots()));
  button.disabled = cooling() || state.busy.has('done');
}

/* Every dot placed: the room already counts me done (the server's rule, `counted_done`), so the button
 * says so, and leads to the dots to take back instead of asking the server for what it already has. */
function doneByDots() {
  return Boolean(state.me && state.me.counted_done && !state.me.done) && phaseNow() === 'vote';
}

function changeVotes() {
  const card = document.querySelector('#vote-list .vote-card.voted');
  if (!card) return;
  const group = card.closest('details');
  if (group) group.open = true; // its toggle event remembers it open
  card.scrollIntoView({ block: 'center' });
  const minus = card.querySelector('.remove-dot');
  if (minus) minus.focus();
}

async function toggleDone() {
  if (!state.me || state.busy.has('done')) return;
  if (doneByDots()) { changeVotes(); return; }
  state.busy.add('done');
  render();
  await act('say_done', async () => {
    const res = await api('PUT', '/done', { done: !state.me.done });
    if (res && typeof res.done === 'boolean') state.me.done = res.done;
    if (res && 'ready' in res && state.workshop) state.workshop.ready = res.ready;
  });
  state.busy.delete('done');
  render();
}

function renderIdeate(force = false) {
  const mine = myIdeas();
  if (state.editingId && !mine.some((i) => i.id === state.editingId)) { state.editingId = null; state.editRefs = null; }
  if (state.editingId && !force) { updateEditCard(); return; } // a live update must not wipe a note being edited
  $('my-ideas').replaceChildren(...mine.map(myIdeaCard));
  if (!mine.length) $('my-ideas').append(el('li', { class: 'empty', text: t('noNotes') }));
}

function myIdeaCard(idea) {
  if (idea.id === state.editingId) return editCard(idea);
  const confirming = state.confirmDeleteId === idea.id;
  return el('li', { class: `note mine${idea.private ? ' private' : ''}`, 'data-idea-id': idea.id },
    noteText(idea),
    idea.private ? el('span', { class: 'private-tag', text: t('privateTag') }) : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'btn edit-idea', 'data-key': `edit:${idea.id}`,
        'aria-label': t('editLabel', { text: idea.text }), disabled: cooling() || !can('edit_own_idea'), text: t('edit'),
        onclick: () => { state.editingId = idea.id; state.confirmDeleteId = null; renderIdeate(true); } }),
      el('button', { type: 'button', class: `btn delete-idea${confirming ? ' danger' : ''}`,
        'data-key': `del:${idea.id}`, 'aria-label': confirming ? t('reallyDelete') : t('deleteLabel', { text: idea.text }),
        disabled: cooling() || !can('delete_own_idea'), text: confirming ? t('reallyDelete') : t('del'),
        onclick: () => deleteIdea(idea) })));
}

function editCard(idea) {
  const area = el('textarea', { class: 'edit-text', rows: 4, 'aria-label': t('editLabel', { text: idea.text }) });
  area.value = idea.text;
  const save = el('button', { type: 'submit', class: 'btn primary save-edit', text: t('save') });
  const note = el('p', { class: 'compose-note error edit-note', role: 'status', 'aria-live': 'polite', hidden: true });
  const form = el('form', { class: 'edit-form', onsubmit: async (ev) => {
    ev.preventDefault();
    const text = area.value.trim();
    if (chars(text) > maxLen()) { showEditNote(t('tooLong', { count: chars(text), max: maxLen() })); return; }
    if (!text) return;
    save.disabled = true;
    const ok = await act('edit_own_idea', () => api('PATCH', `/ideas/${encodeURIComponent(idea.id)}`, { text }), {
      ok: t('saved'), report: (msg, kind) => (kind === 'ok' ? showStatus(msg, kind) : showEditNote(msg)) });
    save.disabled = false;
    if (ok) stopEditing(idea.id);
    else updateEditCard();
  } },
  area,
  note,
  el('div', { class: 'actions' },
    el('button', { type: 'button', class: 'btn cancel-edit', text: t('cancel'),
      onclick: () => stopEditing(idea.id) }),
    save));
  state.editRefs = { note, save, message: '' };
  updateEditCard();
  setTimeout(() => area.focus(), 0);
  return el('li', { class: 'note mine editing', 'data-idea-id': idea.id }, form);
}

function showEditNote(message) {
  if (state.editRefs) state.editRefs.message = message;
  updateEditCard();
}

/* The card being edited survives live updates (and a phase change): only its note and button follow. */
function updateEditCard() {
  const refs = state.editRefs;
  if (!refs) return;
  const open = can('edit_own_idea');
  const text = open ? refs.message : `${notNow('edit_own_idea', phaseNow())} ${t('draftKept')}`;
  setText(refs.note, text);
  refs.note.hidden = !text;
  refs.save.disabled = cooling() || !open;
}

function stopEditing(id) {
  state.editingId = null;
  state.editRefs = null;
  render();
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
  await act('delete_own_idea', () => api('DELETE', `/ideas/${encodeURIComponent(idea.id)}`), { ok: t('deleted') });
}

async function postIdea(ev) {
  ev.preventDefault();
  const area = $('idea-text');
  const text = area.value.trim();
  if (!text || chars(text) > maxLen() || cooling()) return;
  $('post-idea').disabled = true;
  state.composeNote = '';
  const ok = await act('post_idea', async () => {
    const idea = await api('POST', '/ideas', { text });
    // A refresh that read /me after the note was stored may have listed it already.
    const mine = state.me && Array.isArray(state.me.ideas) ? state.me.ideas : null;
    if (idea && mine && !mine.some((i) => i.id === idea.id)) state.me.ideas = [...mine, idea];
  }, { ok: t('posted'), report: (msg, kind) => {
    if (kind === 'ok') showStatus(msg, kind);
    else state.composeNote = msg; // next to the text it is about, which stays in the box
  } });
  if (ok) { area.value = ''; store('del', DRAFT_KEY); }
  render();
  if (ok) area.focus();
}

function discardDraft() {
  $('idea-text').value = '';
  store('del', DRAFT_KEY);
  render();
}

function renderGroup() {
  const groups = byTheme(state.ideas);
  $('themes').replaceChildren(...groups.map(([name, ideas]) => el('section', { class: 'theme' },
    el('h2', { class: 'theme-name', text: name || t('ungrouped') }),
    el('ul', { class: 'notes' }, ideas.map((i) => el('li', { class: `note${i.mine ? ' mine' : ''}` }, noteText(i)))))));
  if (!groups.length) $('themes').append(el('p', { class: 'empty', text: t('noIdeas') }));
}

/* Before the ballot first opens (nobody could have voted): the facilitator is explaining the rules. */
function notVotedYet() {
  return Boolean(state.me) && state.me.remaining_dots === state.workshop.dots_per_participant;
}

function renderVote() {
  const w = state.workshop;
  const open = voteOpen();
  const results = revealed();
  setText($('vote-heading'), results ? t('results') : t('voteHeading'));
  setText($('vote-hint'), results ? (open ? t('resultsHintOpen') : t('resultsHint'))
    : open ? (w.max_dots_per_idea ? `${t('voteHint')} ${t('voteCap', { max: w.max_dots_per_idea })}` : t('voteHint')) : notVotedYet() ? t('votingSoon') : t('votingClosed'));
  const list = $('vote-list');
  if (!state.ideas.length) { list.replaceChildren(el('p', { class: 'empty', text: t('noIdeas') })); return; }
  if (results) {
    const most = mostDots();
    list.replaceChildren(el('ol', { class: 'notes ranked', 'aria-label': t('results') },
      ranked(state.ideas).map((r) => resultCard(r, open, most))));
    return;
  }
  const groups = byTheme(state.ideas);
  if (groups.length === 1) { list.replaceChildren(el('ul', { class: 'notes' }, groups[0][1].map((i) => voteCard(i, open)))); return; }
  list.replaceChildren(...groups.map(([name, ideas]) => {
    const mine = ideas.reduce((sum, i) => sum + myDotsOn(i.id), 0);
    const box = el('details', { class: 'theme-group', 'data-theme': name, open: state.openThemes.get(name) === true,
      ontoggle: () => state.openThemes.set(name, box.open) },
    el('summary', { 'data-key': `theme:${name}` },
      el('span', { class: 'theme-title', text: name || t('ungrouped') }),
      el('span', { class: 'theme-count', text: (mine ? `${tn('noteCount', ideas.length)} · ${tn('yourDotsCount', mine)}` : tn('noteCount', ideas.length)) })),
    el('ul', { class: 'notes' }, ideas.map((i) => voteCard(i, open))));
    return box;
  }));
}

function dotButtons(idea, open, info) {
  const mine = myDotsOn(idea.id);
  if (!open) return el('div', { class: 'vote-row closed' }, info);
  const left = state.me.remaining_dots ?? 0;
  const maxPer = state.workshop.max_dots_per_idea || Infinity;
  const busy = cooling(); // in-flight taps are ignored in vote(), not disabled: keeps focus
  return el('div', { class: 'vote-row' },
    el('button', { type: 'button', class: 'btn dot-btn remove-dot', 'data-key': `rm:${idea.id}`,
      'aria-label': t('removeDot', { text: idea.text }), disabled: busy || mine === 0, text: '−',
      onclick: () => vote(idea.id, -1) }),
    info,
    el('button', { type: 'button', class: 'btn dot-btn add-dot', 'data-key': `add:${idea.id}`,
      'aria-label': t('addDot', { text: idea.text }), disabled: busy || left <= 0 || mine >= maxPer, text: '+',
      onclick: () => vote(idea.id, +1) }));
}

function myDotsInfo(idea) {
  const mine = myDotsOn(idea.id);
  if (!mine && typeof idea.dots === 'number' && !voteOpen()) return []; // results: only dots I placed
  return [
    el('span', { class: 'pips', 'aria-hidden': 'true' }, Array.from({ length: mine }, () => el('span', { class: 'pip' }))),
    el('span', { class: 'my-dots', text: t('myDots', { count: mine }) }),
  ];
}

function voteCard(idea, open) {
  const mine = myDotsOn(idea.id);
  return el('li', { class: `note vote-card${mine ? ' voted' : ''}`, 'data-idea-id': idea.id,
    'aria-busy': state.busy.has(idea.id) ? 'true' : null },
  noteText(idea),
  dotButtons(idea, open, el('div', { class: 'dot-info' }, myDotsInfo(idea))));
}

const mostDots = () => state.ideas.reduce((most, i) => Math.max(most, i.dots || 0), 1);

function resultCard({ idea, rank, tied }, open, top) {
  const bar = el('span', { class: 'bar-fill' });
  bar.style.setProperty('--share', String(idea.dots / top)); // CSSOM, allowed by the CSP (no style attribute)
  return el('li', { class: `note result-card${myDotsOn(idea.id) ? ' voted' : ''}${tied ? ' tied' : ''}`,
    'data-idea-id': idea.id, 'data-rank': rank, 'aria-busy': state.busy.has(idea.id) ? 'true' : null },
  el('div', { class: 'result-head' },
    el('span', { class: 'rank-badge', 'aria-label': t(tied ? 'rankLabelTied' : 'rankLabel', { place: rank }) },
      el('span', { class: 'rank-number', 'aria-hidden': 'true', text: t('rank', { place: rank }) }),
      tied ? el('span', { class: 'tie', 'aria-hidden': 'true', text: t('tie') }) : null),
    noteText(idea),
    el('span', { class: 'total-dots', text: tn('dots', idea.dots) })),
  el('div', { class: 'bar', 'aria-hidden': 'true' }, bar),
  dotButtons(idea, open, el('div', { class: 'dot-info' }, myDotsInfo(idea))));
}

async function vote(ideaId, delta) {
  if (state.busy.has(ideaId)) return;
  state.busy.add(ideaId);
  render();
  await act(delta > 0 ? 'cast_dot' : 'withdraw_dot', async () => {
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
        typeof idea.dots === 'number' ? el('span', { class: 'total-dots', text: tn('totalDots', idea.dots) }) : null),
      el('div', { class: 'rank-buttons' },
        el('button', { type: 'button', class: 'btn move-up', 'data-key': `up:${id}`, text: '↑',
          'aria-label': t('moveUp', { text: idea.text }), disabled: pos === 0, onclick: () => moveRank(pos, -1) }),
        el('button', { type: 'button', class: 'btn move-down', 'data-key': `down:${id}`, text: '↓',
          'aria-label': t('moveDown', { text: idea.text }), disabled: pos === n - 1, onclick: () => moveRank(pos, +1) })));
  }));
  if (!n) $('rank-list').append(el('li', { class: 'empty', text: t('noCandidates') }));
  // The ranking's own messages sit in the flow above its button: nothing floats over the cards.
  const note = state.rankDirty ? t('unsaved', { button: t('savePrefs') }) : state.rankNote;
  setText($('rank-note'), note);
  $('rank-note').hidden = !n || !note;
  $('rank-note').classList.toggle('dirty', state.rankDirty);
  $('save-prefs').hidden = !n;
  $('save-prefs').disabled = cooling() || !can('rank_ideas');
  setText($('save-prefs'), t('savePrefs') + (state.rankDirty ? ' •' : ''));
}

function moveRank(pos, delta) {
  const order = state.rankOrder;
  [order[pos], order[pos + delta]] = [order[pos + delta], order[pos]];
  state.rankDirty = true;
  render();
}

async function savePrefs() {
  const ids = [...state.rankOrder];
  $('save-prefs').disabled = true;
  const ok = await act('rank_ideas', () => api('PUT', '/preferences', { idea_ids: ids }), {
    ok: t('prefsSaved'), report: (msg) => { state.rankNote = msg; } });
  if (ok) { state.rankDirty = false; if (state.me) state.me.preferences = ids; }
  render();
}

function renderTeam(team) {
  const members = (team.member_names || []).map((m) => el('li', { text: personName(m) }));
  // replaceChildren() would draw a skipped (null) child as the text "null": only the parts there are
  $('team-body').replaceChildren(...[
    el('div', { class: 'note' }, el('p', { class: 'note-text', text: team.idea_text || '' })),
    team.champion_name != null ? el('p', { class: 'champion', text: t('champion', { name: personName(team.champion_name) }) }) : null,
    members.length ? el('h3', { text: t('members') }) : null,
    members.length ? el('ul', { class: 'members' }, members) : null,
  ].filter(Boolean));
}

/* Only a web address may become a link (never javascript: or data:). */
function webUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch (e) { return null; }
}

/* ---------- follow what happens next (issue 14): the follow-up link and the reviews of my prototypes ---------- */

function reviewDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso;
  const day = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return day.toLocaleDateString(I18N.lang || undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}

function renderFollow(w) {
  const url = webUrl(w.follow_url);
  const mine = Array.isArray(state.me && state.me.follow) ? state.me.follow : [];
  $('follow').hidden = !url && !mine.length;
  $('follow-line').hidden = !url;
  setText($('follow-link'), url || '');
  if (url) $('follow-link').href = url;
  $('followed').hidden = !mine.length;
  $('followed').replaceChildren(...mine.map((p) => el('li', { class: 'followed-item' },
    p.next_review ? t('followReview', { title: p.title, date: reviewDate(p.next_review) })
      : t('followNoReview', { title: p.title }))));
}

function renderEnd(joined) {
  const w = state.workshop;
  const prototypes = typeof w.prototypes === 'number' && w.prototypes > 0 ? w.prototypes : 0;
  $('next-prototypes').hidden = !prototypes;
  setText($('next-prototypes'), prototypes ? tn('prototypes', prototypes) : '');
  renderFollow(w);
  setText($('next-now'), (phaseNow() === 'backlog' ? t('nextNowBacklog') : t('nextNowClosed')));
  setText($('come-back'), t('comeBack', { code: CODE }));
  setText($('come-back-link'), location.href);
  $('come-back-link').href = location.href;
  const top = ranked(state.ideas).filter((r) => r.rank <= 3 && r.idea.dots > 0);
  $('end-results').hidden = !top.length;
  const most = mostDots();
  $('end-results-list').replaceChildren(...top.map((r) => resultCard(r, false, most)));
  if (!joined) { setText($('summary'), t('closedNoJoin')); return; }
  const mine = myIdeas();
  const dots = (state.me.votes || []).reduce((sum, v) => sum + (v.dots || 0), 0);
  setText($('summary'), mine.length || dots ? `${tn('summaryNotes', mine.length)} ${tn('summaryDots', dots)}` : '');
  $('end-ideas').replaceChildren(...mine.map((i) => el('li', { class: 'note mine' }, noteText(i))));
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
  await act('join', async () => {
    const res = await api('POST', '/join', body);
    state.token = res.token;
    state.authGen += 1;
    store('set', TOKEN_KEY, res.token);
    state.me = { participant_id: res.participant_id, name, ideas: [], votes: [], preferences: [], team: null,
      remaining_dots: (state.workshop && state.workshop.dots_per_participant) || 0 };
    connectEvents(); // again, with the new cookie: the server counts a participant's streams, not the address's
  }); // no toast: the next screen says it
  render();
}

/* ---------- start ---------- */

async function init() {
  await useLanguage(store('get', LANG_KEY) || SERVER_LANG);
  $('lang-picker').addEventListener('change', pickLanguage);
  setText($('conn'), t('reconnecting'));
  $('join-form').addEventListener('submit', join);
  $('idea-form').addEventListener('submit', postIdea);
  $('discard-draft').addEventListener('click', discardDraft);
  $('save-prefs').addEventListener('click', savePrefs);
  $('say-done').addEventListener('click', toggleDone);
  const area = $('idea-text');
  area.value = store('get', DRAFT_KEY) || '';
  area.addEventListener('input', () => { updateCounter(); store('set', DRAFT_KEY, area.value); });
  updateCounter();
  if (!/^[A-Z0-9]{3,12}$/.test(CODE)) { showStatus(t('badCode'), 'error', 0); return; }
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') scheduleRefresh(0); });
  window.addEventListener('online', () => { scheduleRefresh(0); if (source && source.readyState === EventSource.CLOSED) connectEvents(); });
  refresh().then(connectEvents);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
