'use strict';

/*
 * pekko-chat's browser client.
 *
 * The page talks to the server over one WebSocket at /ws. Each frame it sends is one client
 * line, exactly as a terminal client would type it (JOIN:alice mode=json, /say #dev hi, ...);
 * each frame it gets is one machine-mode JSON event (docs/protocol.md, "Machine mode").
 *
 * The file reads top to bottom:
 *   1. settings;
 *   2. pure helpers (no DOM, no state): names, ordering by seq, the JOIN line, typed lines,
 *      sentences for events; small enough to test on their own;
 *   3. the state: who we are, the windows and their lines, lines waiting to be sent, the link;
 *   4. the connection: connect, join, notice a dead link, resume after a drop, reconnect with
 *      backoff;
 *   5. what each server event does;
 *   6. what the user types, and the queue of waiting lines;
 *   7. rendering;
 *   8. start-up and the keyboard.
 *
 * Every text from the server or from other users goes into the page as text (textContent,
 * createTextNode), never as HTML.
 */

// ---------------------------------------------------------------------------------------------
// 1. Settings

const TITLE = 'pekko-chat';
const STORAGE_KEY = 'pekko-chat.session';
/** Messages asked for at a time when scrolling back. */
const PAGE_SIZE = 50;
/** Lines kept per window; past that the oldest TRIM_LINES go at once. */
const MAX_LINES = 2000;
const TRIM_LINES = 200;
/** The server skips longer lines (chat.server.max-line-bytes). */
const MAX_LINE_BYTES = 4096;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
/** A resumed room whose replay has been quiet this long has had all of it. */
const REPLAY_QUIET_MS = 500;
/** After this long, a resume is over even for rooms that did not come back. */
const RESUME_LIMIT_MS = 5000;
/** A history page whose lines have stopped coming this long is complete. */
const PAGE_QUIET_MS = 400;
const PAGE_TIMEOUT_MS = 5000;
/**
 * A message with no echo from the server this long after it was sent makes the link suspect: the
 * page reconnects, and the resume confirms it or sends it again; one sent again is given up.
 */
const CONFIRM_TIMEOUT_MS = 15000;
/** A link quiet this long is asked for a sign of life (at most one line this often). */
const PROBE_AFTER_MS = 25000;
/** Any line the server answers, cheap, whose answer (a rooms event) the page does not show. */
const PROBE_LINE = '/rooms';
/** No frame at all this long after the page sent something (or began to connect): the link is dead. */
const ANSWER_TIMEOUT_MS = 10000;
/** How often the link's clocks are looked at. */
const LINK_CHECK_MS = 1000;
/** An error this close before the server closes the connection is why it closed (a kick). */
const GOODBYE_MS = 2000;
const RECALL_SIZE = 50;

// ---------------------------------------------------------------------------------------------
// 2. Pure helpers

/** How the server compares names: Alice, ALICE and full-width ａｌｉｃｅ are one name. */
function nameKey(name) {
  return String(name).normalize('NFKC').toUpperCase().toLowerCase();
}

/** How the server compares rooms: #Dev is #dev. */
function roomKey(room) {
  return String(room).normalize('NFKC').toLowerCase();
}

/** A room as the server writes it: with its '#'. */
function normalizeRoom(room) {
  const name = room.trim();
  return name.startsWith('#') ? name : `#${name}`;
}

/**
 * Text compared loosely, for matching a typed line with the server's echo of it: the server
 * trims it and drops invisible and control characters, so compare without any of those.
 */
function looseText(text) {
  return String(text).normalize('NFC').replace(/[\s\p{C}]+/gu, '');
}

/**
 * Where a line goes in a window's lines. Lines with a seq stay sorted by seq; a line without
 * one (a join, a topic, a note) comes after those it arrived after. A line with a seq goes
 * before the first line with a higher seq, and before the unsequenced lines just ahead of that
 * place that are newer than it: so the history a room sends after its join line comes above it.
 */
function insertionIndex(lines, line) {
  if (line.seq == null) {
    return lines.length;
  }
  let index = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = lines[i].seq;
    if (seq == null) {
      continue;
    }
    if (seq < line.seq) {
      break;
    }
    index = i;
  }
  while (index > 0 && lines[index - 1].seq == null && lines[index - 1].time > line.time) {
    index--;
  }
  return index;
}

/** The after= value of a resume: [['#lobby', 120], ['#dev', 45]] is '#lobby:120,#dev:45'. */
function afterOption(seen) {
  return seen.map(([room, seq]) => `${room}:${seq}`).join(',');
}

/**
 * The JOIN line. With a resume ({token, room, seen}) it takes the session back (the token), in
 * its rooms, with what was missed in each replayed (docs/protocol.md, "History and resume").
 */
function joinLine(name, resume) {
  const words = [`JOIN:${name}`, 'mode=json'];
  if (resume) {
    words.push(`token=${resume.token}`);
    if (resume.room) {
      words.push(`room=${resume.room}`);
    }
    if (resume.seen.length > 0) {
      words.push(`after=${afterOption(resume.seen)}`);
    }
  }
  return words.join(' ');
}

/** Matches a name as a whole word, in any case. Names hold letters, digits, '_', '-', '.'. */
function mentionPattern(name) {
  const escaped = name.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${escaped}(?![\\p{L}\\p{N}\\p{M}_])`, 'giu');
}

/** Whether a text names someone (whole word, case-insensitive). */
function mentions(text, name) {
  return Boolean(name) && mentionPattern(name).test(text);
}

/** A text cut into pieces, those that name someone marked: for highlighting. */
function splitMentions(text, name) {
  const pieces = [];
  let from = 0;
  for (const match of text.matchAll(mentionPattern(name))) {
    if (match.index > from) {
      pieces.push({ text: text.slice(from, match.index), mention: false });
    }
    pieces.push({ text: match[0], mention: true });
    from = match.index + match[0].length;
  }
  if (from < text.length) {
    pieces.push({ text: text.slice(from), mention: false });
  }
  return pieces;
}

/** A name's colour, as a hue from a hash of the name (FNV-1a): the same in every window. */
function nameHue(name) {
  let hash = 0x811c9dc5;
  for (const char of nameKey(name)) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

/** The wait before reconnect attempt n (from 1): 1 s, 2 s, 4 s ... 30 s, give or take 10 %. */
function retryDelay(attempt, random = Math.random) {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (attempt - 1));
  // The jitter keeps a crowd of pages that lost the server together from coming back together.
  return Math.round(Math.min(RETRY_MAX_MS, base * (0.9 + 0.2 * random())));
}

/** Whether a line asks to leave the chat (as the server reads it). */
function isQuit(text) {
  const lower = text.trim().toLowerCase();
  return lower === '!quit' || lower === '/quit' || lower.startsWith('/quit ');
}

/**
 * What to do with a line typed in a window ({kind: 'room', name: '#dev'}, {kind: 'private',
 * name: 'bob'} or {kind: 'none'}):
 *   {kind: 'chat' | 'action' | 'private', wire, text}: a message (wire is the line to send; a
 *     private one has `to`, the person);
 *   {kind: 'command', wire}: sent as typed;
 *   {kind: 'join', wire, room}: /join, which the page may do itself by switching windows;
 *   {kind: 'quit', wire}; {kind: 'query', name}; {kind: 'close'}; {kind: 'usage', text};
 * or null for a blank line.
 */
function planLine(typed, target) {
  const text = typed.trim();
  if (text === '') {
    return null;
  }
  const literal = text.startsWith('//') ? text.slice(1) : null;
  const command = literal === null && text.startsWith('/') ? text.split(/\s/, 1)[0].toLowerCase() : null;
  const rest = command === null ? '' : text.slice(command.length).trim();

  if (command === '/query') {
    return rest && !/\s/.test(rest)
      ? { kind: 'query', name: rest.replace(/^@/, '') }
      : { kind: 'usage', text: 'Usage: /query <name> opens a private conversation.' };
  }
  if (command === '/close') {
    return { kind: 'close' };
  }
  if (isQuit(text)) {
    return { kind: 'quit', wire: text };
  }
  // The server refuses JOIN: and PASS: lines after the join, so that a password typed again
  // is not read by a room: send them as typed, never wrapped in /say.
  if (/^(join|pass):/i.test(text)) {
    return { kind: 'command', wire: text };
  }
  if (command === '/msg') {
    return privatePlan(rest) ?? { kind: 'command', wire: text }; // the server explains its use
  }
  if (target.kind === 'none') {
    return { kind: 'command', wire: text };
  }
  if (command === '/join' && rest) {
    return { kind: 'join', wire: text, room: normalizeRoom(rest) };
  }
  if (target.kind === 'room') {
    if (command === '/me' && rest) {
      return { kind: 'action', wire: `/me ${rest}`, text: rest };
    }
    if (command !== null) {
      return { kind: 'command', wire: text };
    }
    const said = literal ?? text;
    return { kind: 'chat', wire: `/say ${target.name} ${said}`, text: said };
  }
  if (actsOnCurrentRoom(command, rest)) {
    return { kind: 'usage', text: `${command} works in a room: switch to a room window first (Alt+1..9).` };
  }
  if (command !== null) {
    return { kind: 'command', wire: text };
  }
  return privatePlan(`${target.name} ${literal ?? text}`);
}

/** '/msg bob lunch?' as a private message to bob; null without a name and a text. */
function privatePlan(rest) {
  const to = rest.split(/\s/, 1)[0];
  const said = rest.slice(to.length).trim();
  return to && said ? { kind: 'private', wire: `/msg ${to} ${said}`, text: said, to } : null;
}

/**
 * Whether a command acts on the server's current room, which a private window does not show:
 * /topic, /me and /history; /part, /say and /search unless they name a room; /who alone. Any
 * other (/msg, /whois, /away, /rooms, /nick...) goes as typed from any window.
 */
function actsOnCurrentRoom(command, rest) {
  switch (command) {
    case '/topic':
    case '/me':
    case '/history':
      return true;
    case '/part':
    case '/say':
      return !rest.startsWith('#');
    case '/search':
      return !/^#\S+\s+\S/.test(rest); // '/search #dev' alone looks for the word '#dev'
    case '/who':
      return rest === '';
    default:
      return false;
  }
}

/** Why the join screen cannot send a name, or null: in the JOIN line, spaces separate options. */
function nameProblem(name) {
  if (name === '') {
    return 'Type the name you want to be known by.';
  }
  return /\s/.test(name) ? 'A name cannot contain spaces.' : null;
}

/** A join refusal as the join screen shows it: the password one without its protocol words. */
function refusalText(reason) {
  return /needs a password/i.test(reason) ? 'This server needs a password.' : reason;
}

/**
 * The message an error refuses, among those sent and not yet confirmed (oldest first), or null:
 * a private line to someone who is not online, a message the server's cleaning left empty (its
 * usage error), a room line the server could not keep ("Not sent: ...").
 */
function refusedMessage(text, sent) {
  const offline = /^No one called '(.+?)' is online/.exec(text);
  if (offline) {
    return sent.find((item) => item.kind === 'private' && nameKey(item.to) === nameKey(offline[1])) ?? null;
  }
  const usage = /^Usage: (\/\w+)/.exec(text);
  const kind = usage && { '/say': 'chat', '/me': 'action', '/msg': 'private' }[usage[1]];
  if (kind) {
    return sent.find((item) => item.kind === kind) ?? null;
  }
  if (/^Not sent\b/.test(text)) {
    return sent.find((item) => item.kind === 'chat' || item.kind === 'action') ?? null;
  }
  return null;
}

/** A crowd's names for people: "a", "a and b", "a, b and c", "a, b, c and 2 others". */
function crowd(names) {
  if (names.length > 3) {
    const others = names.length - 3;
    return `${names.slice(0, 3).join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
  }
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** How people left, after their names. */
function gone(how, one) {
  switch (how) {
    case 'lost': return `${one ? 'has' : 'have'} disconnected unexpectedly.`;
    case 'kicked': return `${one ? 'was' : 'were'} kicked.`;
    case 'slow': return `${one ? 'was' : 'were'} disconnected for not keeping up with the chat.`;
    case 'flooding': return `${one ? 'was' : 'were'} disconnected for flooding.`;
    case 'parted': return 'left the room.';
    default: return 'left the chat.'; // quit, closed
  }
}

/** Milliseconds for people: "0.4 s", "2 s". */
function seconds(millis) {
  const tenths = Math.max(1, Math.ceil(millis / 100));
  return tenths % 10 === 0 ? `${tenths / 10} s` : `${(tenths / 10).toFixed(1)} s`;
}

/** Who is in a room, or online (then with each one's rooms); with the away texts of those away. */
function whoSentence(event) {
  const members = event.members || [];
  if (event.room) {
    const listed = members.map((m) => (m.away == null ? m.name : `${m.name} (away: ${m.away})`));
    return members.length === 0
      ? `No one is in ${event.room}.`
      : `In ${event.room} (${members.length}): ${listed.join(', ')}`;
  }
  const rooms = new Map();
  const away = new Map();
  for (const member of members) {
    rooms.set(member.name, [...(rooms.get(member.name) || []), member.room]);
    if (member.away != null && !away.has(member.name)) {
      away.set(member.name, member.away);
    }
  }
  const listed = [...rooms].map(([name, theirs]) =>
    `${name} (${theirs.join(', ')}${away.has(name) ? `; away: ${away.get(name)}` : ''})`);
  return `Online (${rooms.size}): ${listed.join(', ')}`;
}

/**
 * Who someone is, as text mode says it, but for when they connected: text mode gives that in UTC
 * and says so; the page gives it in the browser's local time, as it gives every time.
 */
function whoisSentence(event) {
  const rooms = event.rooms && event.rooms.length > 0 ? `in ${event.rooms.join(', ')}` : 'in no room';
  return `${event.name} is ${rooms}; connected since ${dateAndClock(event.since)}`
    + (event.away == null ? '' : `; away: ${event.away}`);
}

/** The sentence for a notice (anything but chat, actions, private and found messages). */
function sentence(event) {
  switch (event.type) {
    case 'join':
      return `${event.name} has joined ${event.moved ? event.room : 'the chat'}.`;
    case 'joins':
      return `${crowd(event.names)} ${event.names.length === 1 ? 'has' : 'have'} joined the chat.`;
    case 'leave':
      if (event.how === 'kicked' && event.detail) {
        return `${event.name} was kicked: ${event.detail}`;
      }
      if (event.how === 'parted') {
        return `${event.name} left ${event.room}${event.detail ? ` (${event.detail}).` : '.'}`;
      }
      return `${event.name} ${gone(event.how, true)}`;
    case 'leaves':
      return event.how === 'parted'
        ? `${crowd(event.names)} left ${event.room}.`
        : `${crowd(event.names)} ${gone(event.how, event.names.length === 1)}`;
    case 'nick':
      return `${event.old} is now known as ${event.name}.`;
    case 'topic':
      if (event.by) {
        return `${event.by} set the topic: ${event.text ?? ''}`;
      }
      return event.text == null ? `${event.room} has no topic.` : `Topic: ${event.text}`;
    case 'who':
      return whoSentence(event);
    case 'rooms': {
      const rooms = (event.rooms || []).map((r) =>
        `${r.room} (${r.members}${r.current ? ', current' : r.member ? ', yours' : ''})`);
      return `Rooms (${rooms.length}): ${rooms.join(', ')}`;
    }
    case 'gap':
      return event.lost === 1
        ? `1 message in ${event.room} was lost while you were away.`
        : `${event.lost} messages in ${event.room} were lost while you were away.`;
    case 'missed':
      return event.lines === 1
        ? 'You missed 1 line: you were not reading fast enough.'
        : `You missed ${event.lines} lines: you were not reading fast enough.`;
    case 'throttled':
      return `You are sending too fast; that line was not sent. Send again in ${seconds(event.retryAfterMs)}.`;
    case 'shutdown':
      return 'The server is shutting down.';
    case 'moving':
      return `This server is leaving the chat, which goes on at: ${(event.nodes || []).join(', ')}.`;
    case 'marked':
      return event.away == null ? 'You are no longer marked as away.' : `You are marked as away: ${event.away}`;
    case 'away':
      return `${event.name} is away: ${event.text}`;
    case 'whois':
      return whoisSentence(event);
    default:
      return typeof event.text === 'string' ? event.text : '';
  }
}

/**
 * The event in a frame. Frames are JSON events; a plain text line (such as the server's answer
 * to a wrong password, which comes before the join chose machine mode) is read as its event.
 */
function parseFrame(data) {
  if (typeof data !== 'string') {
    return null;
  }
  try {
    const event = JSON.parse(data);
    if (event && typeof event === 'object' && typeof event.type === 'string') {
      return event;
    }
  } catch {
    // Not JSON: a text-mode line, read below.
  }
  const time = Date.now();
  if (data.startsWith('ERROR:')) {
    return { type: 'error', time, text: data.slice('ERROR:'.length).trim() };
  }
  if (data.startsWith('SET_USERNAME:')) {
    return { type: 'refused', time, reason: data.slice('SET_USERNAME:'.length).trim() };
  }
  if (data === '!server_shutdown') {
    return { type: 'shutdown', time };
  }
  return { type: 'system', time, text: data };
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

const pad2 = (n) => String(n).padStart(2, '0');

/** Local time as HH:mm. */
function clock(time) {
  const date = new Date(time);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

/** Local date and time as yyyy-MM-dd HH:mm. */
function dateAndClock(time) {
  const date = new Date(time);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${clock(time)}`;
}

function dayKey(time) {
  return new Date(time).toDateString();
}

function dayLabel(time) {
  return new Date(time).toLocaleDateString(undefined,
    { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

// ---------------------------------------------------------------------------------------------
// 3. State

/**
 * Who we are to the server, and our away text (null when not away) as the last /away or /who
 * said. The password stays in memory only, never in storage.
 */
const me = { name: null, token: null, password: null, away: null };

/**
 * A window: a room ('#dev', keyed by its room key) or a private conversation ('@bob', keyed by
 * '@' and the folded name). Holds all its lines (rendered when viewed), its unread count, and for
 * a room its members, topic and lastSeq: the highest seq seen there, or the room's own number when
 * we came in (everything up to it was offered as history), which a resume asks to continue from.
 * A room's away holds its members' away texts (by folded name) as the last /who gave them: no
 * event says when someone else marks themselves away.
 */
function makeWindow(key, kind, label) {
  return {
    key, kind, label,
    lines: [], seqs: new Set(), unread: 0, mention: false,
    members: new Map(), away: new Map(), topic: '', lastSeq: 0,
    entered: false, // a room event (or a saved session) gave its number
    olderDoneAt: 0, // a history page before this seq brought nothing: ask no more
    scrollTop: null, // where the user left it; null is at the bottom
    button: null,
  };
}

/** Rooms and private conversations, in the order they opened. */
const windows = [];
/** Where lines go when there is no window at all (after /part of the last room). */
const noWindow = makeWindow('', 'none', '');
let viewed = noWindow;
/** The server's current room (its key): where /me, /topic, /history and /who apply. */
let currentRoom = null;

/**
 * Lines typed and not yet done, in typed order: {windowKey, kind, wire, text, to, state,
 * minSeq, conn, sentAt, sends, time, room}. 'queued' ones wait to be sent. Messages stay, as
 * 'sent', until the server echoes them back (or refuses them); commands are done once sent.
 */
const waiting = [];

/** The connection and what it is doing. */
const link = {
  socket: null,
  serial: 0, // counts connections; a 'sent' line remembers on which one it went
  opened: false,
  joined: false, // welcomed on this connection
  lost: false, // a joined connection was lost, and no other welcomed us yet
  sentResume: false, // its JOIN line carried a token: a welcome resumes
  resume: null, // while a resume's replays come: see startResume
  attempt: 0,
  retryTimer: null,
  retryAt: 0,
  ticker: null,
  preJoinError: null, // an error before the welcome, such as a wrong password
  lastFrameAt: 0, // when the last frame came (or the socket opened)
  answerDueSince: null, // when the page sent something with no frame since (or began to connect)
  probes: 0, // probe lines sent on this connection whose answers have not come
  stale: null, // a joined socket given up for dead, left open until the next welcome
  lastError: null, // {text, at}: an error that was the last event after the welcome
  quitting: false,
  halted: null, // why we do not reconnect by ourselves (kicked, taken over)
};

/** The page: which screen, rendering, the title count, the recall of typed lines. */
const ui = {
  phase: 'join',
  renderPending: false,
  lastDay: null, // the day of the last line rendered in #messages
  atBottom: true, // #messages was scrolled to its end when last scrolled
  titleCount: 0,
  recall: [],
  recallIndex: 0,
  older: null, // the history page asked for: {win, before, received, timer}
  entering: null, // a room just entered, whose recent history is coming: {win, timer}
  lastEcho: null, // our last private line's echo: {to (folded name), typedIn (window)}
  saveTimer: null,
};

/** The elements the page works with, found once at start. */
let dom = null;

function findWindow(key) {
  return windows.find((win) => win.key === key);
}

function roomWindows() {
  return windows.filter((win) => win.kind === 'room');
}

/** Rooms first, then private conversations: the order of the sidebar and of Alt+1..9. */
function orderedWindows() {
  return [...roomWindows(), ...windows.filter((win) => win.kind === 'private')];
}

/** The window of a room, opened if needed. */
function roomWindow(room) {
  const key = roomKey(room);
  let win = findWindow(key);
  if (!win) {
    win = makeWindow(key, 'room', room);
    windows.push(win);
    renderSidebar();
  }
  return win;
}

/** The window of a private conversation with someone, opened if needed. */
function privateWindow(name) {
  const key = `@${nameKey(name)}`;
  let win = findWindow(key);
  if (!win) {
    win = makeWindow(key, 'private', `@${name}`);
    windows.push(win);
    renderSidebar();
  }
  return win;
}

function isMe(name) {
  return Boolean(me.name) && name != null && nameKey(name) === nameKey(me.name);
}

function isOnline() {
  return link.joined && link.socket !== null && link.socket.readyState === WebSocket.OPEN;
}

/** A line of a window: {type, time, seq, room, from, text, history, highlight, note, classes}. */
function makeLine(type, time, fields) {
  return { type, time: time ?? Date.now(), ...fields };
}

/**
 * Adds a line to a window, in its place; false when the window has it already (same seq). Lines
 * of the viewed window are shown at once when they come last, else on the next frame.
 */
function addLine(win, line) {
  if (line.seq != null) {
    if (win.seqs.has(line.seq)) {
      return false;
    }
    win.seqs.add(line.seq);
  }
  const index = insertionIndex(win.lines, line);
  win.lines.splice(index, 0, line);
  const trimmed = win.lines.length > MAX_LINES;
  if (trimmed) {
    for (const old of win.lines.splice(0, TRIM_LINES)) {
      win.seqs.delete(old.seq);
    }
  }
  if (win === viewed) {
    if (index === win.lines.length - 1 && !trimmed && !ui.renderPending) {
      appendToView(line);
    } else {
      scheduleRender();
    }
  }
  return true;
}

/** A line of the page's own (not from the server) in a window. */
function note(win, type, text) {
  addLine(win, makeLine(type, Date.now(), { text }));
}

/**
 * The room's numbering started again (the server kept its history in memory and restarted):
 * the lines shown keep their place, but their seqs no longer say anything.
 */
function restartNumbering(win) {
  for (const line of win.lines) {
    delete line.seq;
  }
  win.seqs.clear();
  win.lastSeq = 0;
  win.olderDoneAt = 0;
  for (const item of waiting) {
    if (item.windowKey === win.key) {
      item.minSeq = 0;
    }
  }
  if (win === viewed) {
    scheduleRender();
  }
}

/** The lowest seq shown in a room, or (none shown) one past the last it had. */
function oldestSeq(win) {
  const first = win.lines.find((line) => line.seq != null);
  if (first) {
    return first.seq;
  }
  return win.lastSeq > 0 ? win.lastSeq + 1 : 0;
}

// Saving the session, so that a reload resumes it.

function saveSession() {
  clearTimeout(ui.saveTimer);
  ui.saveTimer = null;
  if (!me.token) {
    return;
  }
  const session = {
    name: me.name,
    token: me.token,
    viewed: viewed.kind === 'room' ? viewed.label : null,
    rooms: roomWindows().filter((win) => win.entered).map((win) => [win.label, win.lastSeq]),
  };
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Storage full or turned off: a reload then starts afresh.
  }
}

/** Saves soon: seqs change with every message, and a second's delay costs nothing. */
function scheduleSave() {
  if (ui.saveTimer === null) {
    ui.saveTimer = setTimeout(saveSession, 1000);
  }
}

/** The saved session of this tab, into the state; whether there was one. */
function restoreSession() {
  let session;
  try {
    session = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
  if (!session || typeof session.name !== 'string' || typeof session.token !== 'string') {
    return false;
  }
  me.name = session.name;
  me.token = session.token;
  for (const [room, seq] of Array.isArray(session.rooms) ? session.rooms : []) {
    const win = roomWindow(room);
    win.lastSeq = Number(seq) || 0;
    win.entered = true;
  }
  viewed = (session.viewed && findWindow(roomKey(session.viewed))) || roomWindows()[0] || noWindow;
  return true;
}

function forgetSession() {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}

// ---------------------------------------------------------------------------------------------
// 4. The connection

function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** Opens a new connection; it joins as soon as it is open. */
function connect() {
  clearTimeout(link.retryTimer);
  clearInterval(link.ticker);
  link.retryTimer = null;
  link.ticker = null;
  if (link.socket) {
    const old = link.socket;
    link.socket = null; // its close is no news now
    old.close();
  }
  const serial = ++link.serial;
  Object.assign(link, {
    opened: false, joined: false, preJoinError: null, lastError: null,
    probes: 0, answerDueSince: Date.now(), // a socket that does not open in time is dead too
  });
  let socket;
  try {
    socket = new WebSocket(socketUrl());
  } catch {
    // No URL to connect to (say, the page opened from a file): as a connection that failed.
    link.socket = null;
    setTimeout(() => serial === link.serial && onClosed(), 0);
    return;
  }
  link.socket = socket;
  socket.onopen = () => {
    if (socket === link.socket) {
      Object.assign(link, { opened: true, lastFrameAt: Date.now(), answerDueSince: null });
      sendJoin();
    }
  };
  socket.onmessage = (message) => {
    if (socket === link.socket) {
      Object.assign(link, { lastFrameAt: Date.now(), answerDueSince: null });
      onFrame(message.data);
    }
  };
  socket.onclose = () => {
    if (socket === link.socket) {
      onClosed();
    }
  };
  updateStatus();
}

/** Sends a line; the server answers every line the page sends, so an answer is now due. */
function send(line) {
  link.socket.send(line);
  link.answerDueSince ??= Date.now();
}

/**
 * Looks at the link, every LINK_CHECK_MS. The browser does not see a stalled server or a link
 * that went silent (its socket stays open, the server's pings are answered out of sight), so the
 * page watches for itself: a socket that did not open, or no frame at all for ANSWER_TIMEOUT_MS
 * after a line was sent, means a dead link; so does a message not confirmed in time. A link that
 * has been quiet for PROBE_AFTER_MS is sent a probe, which the server answers.
 */
function checkLink() {
  if (!link.socket) {
    return;
  }
  const now = Date.now();
  if (link.answerDueSince !== null && now - link.answerDueSince > ANSWER_TIMEOUT_MS) {
    dropLink('the server stopped answering');
    return;
  }
  if (!isOnline() || checkConfirmations(now)) {
    return;
  }
  if (link.answerDueSince === null && now - link.lastFrameAt > PROBE_AFTER_MS) {
    link.probes += 1;
    send(PROBE_LINE);
  }
}

/**
 * Gives up a dead or stalled link at once (its close may take minutes to come) and reconnects. A
 * joined socket is closed only once the next connection is welcomed: a stalled server that comes
 * back then hands the session over unseen, where a closed socket would have been a leave.
 */
function dropLink(why) {
  const socket = link.socket;
  link.socket = null; // its close, whenever it comes, is no news
  if (link.joined) {
    closeStale();
    link.stale = socket;
  } else {
    socket.close();
  }
  onClosed(why);
}

function closeStale() {
  if (link.stale) {
    link.stale.close();
    link.stale = null;
  }
}

/** The password (if the server asked for one), then the JOIN line: a resume once we have a token. */
function sendJoin() {
  const resume = me.token ? resumeOptions() : null;
  link.sentResume = resume !== null;
  if (me.password) {
    send(`PASS:${me.password}`);
  }
  send(joinLine(me.name, resume));
}

/**
 * What a resume names: the token, the room to be current (the one being looked at), and each
 * room with the last seq seen there. Rooms whose number we never learnt are left out; they come
 * back with their recent history.
 */
function resumeOptions() {
  const current = findWindow(currentRoom);
  return {
    token: me.token,
    room: viewed.kind === 'room' ? viewed.label : current && current.label,
    seen: roomWindows().filter((win) => win.entered).map((win) => [win.label, win.lastSeq]),
  };
}

/** The connection ended (or was given up, and why): say why, and come back unless we should not. */
function onClosed(givenUp = null) {
  const wasJoined = link.joined;
  const goodbye = wasJoined && link.lastError && Date.now() - link.lastError.at < GOODBYE_MS
    ? link.lastError.text : null;
  link.socket = null;
  link.joined = false;
  endResume();
  cancelOlderPage();
  endEntering();

  if (link.quitting) {
    leaveChat('You left the chat.');
    return;
  }
  if (ui.phase === 'join') {
    // A connection that never opened is a problem; one the server ended after a refusal (the
    // time to join ran out) is not: the next Join makes a new one.
    setJoinBusy(false);
    if (givenUp) {
      showJoinError('The server did not answer. Try again in a moment.');
    } else if (!link.opened && !link.preJoinError) {
      showJoinError('Could not reach the server. Try again in a moment.');
    }
    return;
  }
  if (wasJoined) {
    link.lost = true;
    note(viewed, 'system', givenUp ? `Connection lost: ${givenUp}.` : 'Connection lost.');
  }
  if (link.preJoinError && /password/i.test(link.preJoinError)) {
    showJoin(link.preJoinError, true);
    return;
  }
  if (goodbye) {
    // Kicked, or the session taken over by another page: coming back by ourselves would be wrong.
    link.halted = goodbye;
    leaveMemberLists();
    updateStatus();
    return;
  }
  scheduleReconnect();
}

function scheduleReconnect() {
  link.attempt += 1;
  const delay = retryDelay(link.attempt);
  link.retryAt = Date.now() + delay;
  link.retryTimer = setTimeout(connect, delay);
  if (link.ticker === null) {
    link.ticker = setInterval(updateStatus, 1000); // the countdown
  }
  updateStatus();
}

/** Reconnects now: the button, or the network coming back. */
function reconnectNow() {
  if (link.socket === null && ui.phase === 'chat') {
    link.halted = null;
    connect();
  }
}

/**
 * A resume: the server sends, room by room, our own join line, the room, and the messages we
 * missed (marked history). Lines we sent that never got their echo may be among those: they are
 * confirmed by them, and only those still unconfirmed once their room's replay is over are sent
 * again. A room's replay is over when a line of something else comes, or after a quiet moment.
 */
function startResume() {
  const expected = new Set(roomWindows().filter((win) => win.entered).map((win) => win.key));
  if (currentRoom) {
    expected.add(currentRoom);
  }
  link.resume = {
    expected,
    done: new Set(),
    replaying: null, // the key of the room whose replay is coming
    quietTimer: null,
    limitTimer: setTimeout(finishResume, RESUME_LIMIT_MS),
  };
}

/** Follows the replays of a resume, after each event has been handled. */
function trackReplay(event) {
  const resume = link.resume;
  const key = event.room ? roomKey(event.room) : null;
  if (event.type === 'room') {
    endReplay();
    resume.replaying = key;
  } else if (!(key === resume.replaying && (event.history || event.type === 'topic' || event.type === 'gap'))
      && event.type !== 'system') {
    // A system line may say how many messages came while we were away: it is part of a replay.
    endReplay();
  }
  if (link.resume) {
    clearTimeout(resume.quietTimer);
    resume.quietTimer = setTimeout(endReplay, REPLAY_QUIET_MS);
  }
}

/** The replay of the room being replayed is over: its waiting lines may go. */
function endReplay() {
  const resume = link.resume;
  if (!resume || resume.replaying === null) {
    return;
  }
  resume.done.add(resume.replaying);
  resume.replaying = null;
  if ([...resume.expected].every((key) => resume.done.has(key))) {
    finishResume();
  } else {
    flushWaiting();
  }
}

function finishResume() {
  endResume();
  flushWaiting();
  fillIfShort();
}

function endResume() {
  if (link.resume) {
    clearTimeout(link.resume.quietTimer);
    clearTimeout(link.resume.limitTimer);
    link.resume = null;
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Server events

const HANDLERS = {
  welcome: onWelcome,
  join: onJoin,
  joins: onJoins,
  leave: onLeave,
  leaves: onLeaves,
  chat: onMessage,
  action: onMessage,
  private: onPrivate,
  nick: onNick,
  topic: onTopic,
  room: onRoom,
  who: onWho,
  found: onFound,
  error: onError,
  announcement: (event) => addLine(viewed, makeLine('announcement', event.time, { note: 'server', text: event.text })),
  gap: (event) => addLine(roomWindow(event.room), makeLine('gap', event.time, { room: event.room, text: sentence(event) })),
  throttled: onThrottled,
  rooms: noticeInView,
  missed: noticeInView,
  system: onSystem,
  shutdown: noticeInView,
  moving: noticeInView,
  marked: onMarked,
  away: onAway,
  whois: noticeInView,
};

function onFrame(data) {
  const event = parseFrame(data);
  if (event === null) {
    return;
  }
  if (!link.joined && event.type !== 'welcome') {
    beforeJoin(event);
    return;
  }
  if (event.type === 'rooms' && link.probes > 0) {
    link.probes -= 1; // the answer to a probe: it said what it had to by coming
    return;
  }
  if (event.type !== 'error') {
    link.lastError = null; // only an error right before a close says why the server closed
  }
  if (ui.entering) {
    trackEntering(event);
  }
  const handler = HANDLERS[event.type];
  if (handler) {
    handler(event);
  } else if (typeof event.text === 'string') {
    noticeInView(event); // an event this page does not know, shown by its text
  }
  if (link.resume && event.type !== 'welcome') {
    trackReplay(event);
  }
  if (ui.older) {
    trackOlderPage(event);
  }
}

/** Answers to a join that did not (yet) succeed. */
function beforeJoin(event) {
  if (event.type === 'refused') {
    // The connection stays open for another try.
    showJoin(refusalText(event.reason || ''), /PASS:|password/i.test(event.reason || ''));
  } else if (event.type === 'error') {
    if (/^No JOIN:/.test(event.text)) {
      return; // the time to join ran out while the user chose a name: the next Join reconnects
    }
    link.preJoinError = event.text;
    if (ui.phase === 'join') {
      showJoinError(event.text);
    }
  } else if (event.type === 'shutdown' && ui.phase === 'join') {
    showJoinError(sentence(event));
  }
  // Anything else (the server's hint on how to join, meant for people using nc) is not shown.
}

function onWelcome(event) {
  closeStale();
  link.joined = true;
  link.attempt = 0;
  link.halted = null;
  me.name = event.name;
  me.token = event.token;
  currentRoom = event.room ? roomKey(event.room) : null;
  if (link.sentResume) {
    startResume();
    // Private messages are not replayed: one sent on the lost connection cannot be confirmed.
    for (const item of waiting.filter((i) => i.kind === 'private' && i.state === 'sent')) {
      failMessage(item, 'unconfirmed',
        'The connection dropped before the server confirmed this private message; it may not have been sent.');
    }
  }
  if (ui.phase !== 'chat') {
    showChat();
  }
  if (link.lost) {
    link.lost = false;
    note(viewed, 'system', `Reconnected as ${me.name}.`);
  }
  saveSession();
  updateStatus();
  flushWaiting();
}

function onJoin(event) {
  const win = roomWindow(event.room);
  if (isMe(event.name)) {
    if (!event.moved && link.resume) {
      return; // a resume: to everybody else we never left
    }
    if (event.moved) {
      currentRoom = win.key; // /join makes the room current at once
    }
  }
  addMember(win, event.name);
  addLine(win, makeLine('join', event.time, { room: event.room, text: sentence(event) }));
  membersChanged(win);
}

function onJoins(event) {
  const win = roomWindow(event.room);
  for (const name of event.names) {
    addMember(win, name);
  }
  addLine(win, makeLine('join', event.time, { room: event.room, text: sentence(event) }));
  membersChanged(win);
}

function onLeave(event) {
  const win = roomWindow(event.room);
  const line = makeLine('leave', event.time, { room: event.room, text: sentence(event) });
  if (isMe(event.name) && event.how === 'parted') {
    closeRoom(win);
    addLine(viewed, line);
    return;
  }
  removeMember(win, event.name);
  addLine(win, line);
  membersChanged(win);
}

function onLeaves(event) {
  const win = roomWindow(event.room);
  for (const name of event.names) {
    removeMember(win, name);
  }
  addLine(win, makeLine('leave', event.time, { room: event.room, text: sentence(event) }));
  membersChanged(win);
}

/** Someone came into a room: whether they are away the page does not know until the next /who. */
function addMember(win, name) {
  win.members.set(nameKey(name), name);
  win.away.delete(nameKey(name));
}

function removeMember(win, name) {
  win.members.delete(nameKey(name));
  win.away.delete(nameKey(name));
}

/** A chat line or an action in a room: live, from history, or replayed after a resume. */
function onMessage(event) {
  const win = roomWindow(event.room);
  const mine = isMe(event.from);
  if (mine) {
    confirmRoomMessage(event.type, win.key, event.text, event.seq);
  }
  const named = !mine && mentions(event.text, me.name);
  const added = addLine(win, makeLine(event.type, event.time, {
    seq: event.seq,
    room: event.room,
    from: event.from,
    text: event.text,
    history: Boolean(event.history),
    highlight: named ? me.name : null,
  }));
  if (event.seq > win.lastSeq) {
    win.lastSeq = event.seq;
    scheduleSave();
  }
  // Live lines are news, and so are the missed ones a resume replays; history is not.
  if (added && !mine && (!event.history || link.resume)) {
    attention(win, named, event.from, event.text);
  }
}

function onPrivate(event) {
  const mine = isMe(event.from);
  const win = privateWindow(mine ? event.to : event.from);
  const line = () => makeLine('private', event.time, {
    from: event.from,
    text: event.text,
    note: mine ? `to ${event.to}` : 'private',
  });
  addLine(win, line());
  if (!mine) {
    attention(win, true, event.from, event.text);
    return;
  }
  // A /msg typed in another window shows there too, where it was typed.
  const typedIn = windowOf(confirmPrivate(event.to, event.text));
  if (typedIn && typedIn !== win) {
    addLine(typedIn, line());
  }
  ui.lastEcho = { to: nameKey(event.to), typedIn };
}

/**
 * The person our private line went to is away: said in the conversation with them, after the
 * echo of our line, and (as the echo) where the line was typed, if that was another window.
 */
function onAway(event) {
  const win = privateWindow(event.name);
  const line = () => makeLine('system', event.time, { text: sentence(event) });
  addLine(win, line());
  const echo = ui.lastEcho;
  if (echo && echo.to === nameKey(event.name) && echo.typedIn && echo.typedIn !== win) {
    addLine(echo.typedIn, line());
  }
}

/** The answer to our /away: shown where it was typed, and our mark in the members lists. */
function onMarked(event) {
  me.away = event.away ?? null;
  renderMembers();
  noticeInView(event);
}

function onNick(event) {
  const win = roomWindow(event.room);
  const away = win.away.get(nameKey(event.old));
  if (win.members.has(nameKey(event.old))) {
    removeMember(win, event.old);
    addMember(win, event.name);
    if (away != null) {
      win.away.set(nameKey(event.name), away);
    }
  }
  if (isMe(event.old)) {
    me.name = event.name;
    saveSession();
    updateStatus();
  }
  for (const item of waiting.filter((i) => i.kind === 'private' && nameKey(i.to) === nameKey(event.old))) {
    item.to = event.name;
    item.wire = `/msg ${event.name} ${item.text}`;
  }
  // A private conversation follows the person's new name.
  const conversation = findWindow(`@${nameKey(event.old)}`);
  if (conversation && !findWindow(`@${nameKey(event.name)}`)) {
    conversation.key = `@${nameKey(event.name)}`;
    conversation.label = `@${event.name}`;
    for (const item of waiting.filter((i) => i.windowKey === `@${nameKey(event.old)}`)) {
      item.windowKey = conversation.key;
    }
    renderSidebar();
    renderHeader();
  }
  addLine(win, makeLine('nick', event.time, { room: event.room, text: sentence(event) }));
  membersChanged(win);
}

function onTopic(event) {
  const win = roomWindow(event.room);
  const topic = event.text || '';
  // The topic a room sends on each (re)join is no news when it is the one we know.
  if (event.by || topic !== win.topic) {
    addLine(win, makeLine('topic', event.time, { room: event.room, text: sentence(event) }));
  }
  win.topic = topic;
  if (win === viewed) {
    renderHeader();
  }
}

/** We are in a room (by a join, a resume or /join): its members, topic and number. */
function onRoom(event) {
  const win = roomWindow(event.room);
  if (event.seq < win.lastSeq) {
    restartNumbering(win);
  }
  if (!link.resume) {
    // Everything up to here was offered as history. (On a resume the replay tells what we had.)
    win.lastSeq = Math.max(win.lastSeq, event.seq || 0);
  }
  win.members = new Map((event.members || []).map((name) => [nameKey(name), name]));
  win.topic = event.topic || '';
  const first = !win.entered;
  win.entered = true;
  if (!link.resume) {
    startEntering(win);
  }
  if (event.current) {
    currentRoom = win.key;
    // A room just joined is shown; a resume leaves the view where the user had it.
    if ((first && !link.resume) || viewed === noWindow) {
      showWindow(win);
    }
  }
  if (win === viewed) {
    renderHeader();
  }
  membersChanged(win);
  saveSession();
}

/**
 * Who is in a room (its members), or online (everybody, once per room): either says who is away,
 * in each of our rooms it covers.
 */
function onWho(event) {
  const members = event.members || [];
  for (const win of roomWindows()) {
    const here = members.filter((m) => roomKey(m.room ?? event.room) === win.key);
    if (event.room ? roomKey(event.room) !== win.key : here.length === 0) {
      continue;
    }
    if (event.room) {
      win.members = new Map(here.map((m) => [nameKey(m.name), m.name]));
    }
    win.away = new Map(here.filter((m) => m.away != null).map((m) => [nameKey(m.name), m.away]));
    membersChanged(win);
  }
  const mine = members.find((m) => isMe(m.name));
  if (mine) {
    me.away = mine.away ?? null;
    renderMembers();
  }
  noticeInView(event);
}

/** A message found by /search: shown where the user searched, with its room and number. */
function onFound(event) {
  addLine(viewed, makeLine('found', event.time, {
    note: `${event.room} ${event.seq}`,
    from: event.from,
    text: event.text,
    classes: event.action ? ['action'] : [],
  }));
}

/** An error: the refusal of a message waiting for its echo shows with it; any other in view. */
function onError(event) {
  link.lastError = { text: event.text, at: Date.now() };
  const refused = refusedMessage(event.text, sentHere());
  if (refused) {
    failMessage(refused, 'not sent', event.text);
  } else {
    addLine(viewed, makeLine('error', event.time, { text: event.text }));
  }
}

/** A line refused for coming too fast: the server answers lines in order, so the oldest unanswered. */
function onThrottled(event) {
  const refused = sentHere()[0];
  if (refused) {
    failMessage(refused, 'not sent', `Sending too fast: send it again in ${seconds(event.retryAfterMs)}.`);
  } else {
    addLine(viewed, makeLine('error', event.time, { text: sentence(event) }));
  }
}

/**
 * A system line. One that comes in a room's replay (that some messages came while we were away,
 * or that the room's numbering started again) is that room's; any other shows in view.
 */
function onSystem(event) {
  const replaying = link.resume && link.resume.replaying;
  const win = (replaying && findWindow(replaying)) || viewed;
  addLine(win, makeLine('system', event.time, { text: sentence(event) }));
}

/** An event without a window of its own, as a line in the viewed one. */
function noticeInView(event) {
  const type = ['who', 'rooms', 'missed'].includes(event.type) ? event.type : 'system';
  addLine(viewed, makeLine(type, event.time, { text: sentence(event) }));
}

/** We left a room with /part: its window closes, and its lines that were waiting go with it. */
function closeRoom(win) {
  for (const item of waiting.filter((i) => i.windowKey === win.key)) {
    removeWaiting(item);
  }
  if (currentRoom === win.key) {
    currentRoom = null;
  }
  closeWindow(win);
  saveSession();
}

/** We are in none of our rooms any more (kicked, or the session taken over): off their lists. */
function leaveMemberLists() {
  for (const win of roomWindows()) {
    win.members.delete(nameKey(me.name));
  }
  renderMembers();
}

/** Takes a window away; the view goes to the last room (the server's next current one). */
function closeWindow(win) {
  windows.splice(windows.indexOf(win), 1);
  if (viewed === win) {
    showWindow(roomWindows().pop() || orderedWindows()[0] || noWindow);
  }
  renderSidebar();
}

/** A line that is news for the user: the unread count, and a mark and a ping if it names them. */
function attention(win, important, from, text) {
  if (win !== viewed) {
    win.unread += 1;
    win.mention = win.mention || important;
    renderSidebar();
  }
  if (important && document.hidden) {
    ui.titleCount += 1;
    document.title = `(${ui.titleCount}) ${TITLE}`;
    notify(win, from, text);
  }
}

function notify(win, from, text) {
  if (!('Notification' in window) || Notification.permission !== 'granted') {
    return;
  }
  const title = win.kind === 'private' ? `${from} (private)` : `${from} in ${win.label}`;
  let notification;
  try {
    notification = new Notification(title, { body: text, tag: win.key });
  } catch {
    return; // this platform shows notifications only from a service worker: the title count stays
  }
  notification.onclick = () => {
    window.focus();
    if (windows.includes(win)) {
      switchTo(win);
    }
    notification.close();
  };
}

// ---------------------------------------------------------------------------------------------
// 6. What the user types, and the waiting lines

function onSend(submitEvent) {
  submitEvent.preventDefault();
  const typed = dom.input.value;
  if (typed.trim() === '') {
    return;
  }
  dom.input.value = '';
  remember(typed);
  submitLine(typed);
}

function submitLine(typed) {
  const target = viewed.kind === 'room' ? { kind: 'room', name: viewed.label }
    : viewed.kind === 'private' ? { kind: 'private', name: viewed.label.slice(1) }
    : { kind: 'none' };
  const plan = planLine(typed, target);
  switch (plan.kind) {
    case 'query':
      switchTo(privateWindow(plan.name));
      return;
    case 'close':
      if (viewed.kind === 'private') {
        closeWindow(viewed);
      } else {
        note(viewed, 'error', '/close closes a private conversation; /part leaves a room.');
      }
      return;
    case 'usage':
      note(viewed, 'error', plan.text);
      return;
    case 'join': {
      const win = findWindow(roomKey(plan.room));
      if (win) {
        switchTo(win); // a room we are in: just look at it
        return;
      }
      break;
    }
    case 'quit':
      link.quitting = true;
      if (!isOnline()) {
        leaveChat('You left the chat.');
        return;
      }
      break;
    default:
      break;
  }
  if (utf8Length(plan.wire) > MAX_LINE_BYTES) {
    note(viewed, 'error', `That line is too long (${utf8Length(plan.wire)} bytes; the server takes ${MAX_LINE_BYTES}); it was not sent.`);
    return;
  }
  const message = plan.kind === 'chat' || plan.kind === 'action' || plan.kind === 'private';
  waiting.push({
    windowKey: viewed.key,
    kind: message ? plan.kind : 'command',
    wire: plan.wire,
    text: message ? plan.text : plan.wire,
    to: plan.to ?? null,
    // Actions and commands apply to the server's current room: make it the room typed in.
    room: viewed.kind === 'room' && (plan.kind === 'action' || plan.kind === 'command') ? viewed.key : null,
    // The echo of this line has a higher seq than anything seen before it was typed.
    minSeq: viewed.lastSeq,
    state: 'queued',
    conn: 0,
    sentAt: 0,
    sends: 0,
    time: Date.now(),
  });
  flushWaiting();
}

/**
 * Sends the waiting lines that can go, in typed order: not while offline, and during a resume
 * not before the replay of their room is over (it may confirm them). Lines sent on this
 * connection and waiting for their echo stay as they are; a line sent on an earlier one goes
 * again, once: sent twice and confirmed by neither the echo nor a replay, it is given up.
 */
function flushWaiting() {
  const sendable = isOnline() ? [...waiting] : []; // a copy: sending takes lines off the list
  for (const item of sendable) {
    if (item.state === 'sent' && item.conn === link.serial) {
      continue;
    }
    const room = item.kind === 'chat' || item.kind === 'action' ? item.windowKey : item.room;
    if (link.resume && room && !link.resume.done.has(room)) {
      break; // keep the order: what comes after waits too
    }
    if (item.sends >= 2) {
      failMessage(item, 'not sent', NOT_CONFIRMED);
    } else {
      sendItem(item);
    }
  }
  renderWaiting();
  updateStatus();
}

function sendItem(item) {
  if (item.room) {
    ensureCurrent(item.room);
  }
  send(item.wire);
  if (item.kind === 'command') {
    removeWaiting(item);
    return;
  }
  Object.assign(item, { state: 'sent', conn: link.serial, sentAt: Date.now(), sends: item.sends + 1 });
}

/** Why a message sent twice, and confirmed neither time, is given up. */
const NOT_CONFIRMED = 'The server did not confirm this line, though it was sent again after a reconnect; it was probably not sent.';

/** The messages sent and not yet confirmed, in the order they were sent. */
function sentMessages() {
  return waiting.filter((item) => item.state === 'sent');
}

/** Those sent on this connection: the ones its errors can be about. */
function sentHere() {
  return sentMessages().filter((item) => item.conn === link.serial);
}

/**
 * The server echoed one of our messages in a room (in machine mode the sender gets its own
 * messages back, with their seq). The sender's lines come back in order in each room, so an echo
 * is of the oldest line sent there, even when the server changed its text (it trims, drops
 * invisible characters and extra combining marks); an echo with the text of a later line is of
 * that one (the lines before it were lost). An echo numbered no higher than what the room had
 * when a line was typed is not of that line.
 */
function confirmRoomMessage(kind, windowKey, text, seq) {
  const sent = sentMessages().filter((item) => item.windowKey === windowKey
    && (item.kind === 'chat' || item.kind === 'action') && seq > item.minSeq);
  const loose = looseText(text);
  const item = sent.find((i) => i.kind === kind && looseText(i.text) === loose)
    ?? (sent[0]?.kind === kind ? sent[0] : null);
  if (item) {
    removeWaiting(item);
  }
}

/** The echo of a private message to someone confirms the oldest sent to them (same text first); that line. */
function confirmPrivate(to, text) {
  const sent = sentMessages().filter((item) => item.kind === 'private' && nameKey(item.to) === nameKey(to));
  const item = sent.find((i) => looseText(i.text) === looseText(text)) ?? sent[0];
  if (item) {
    removeWaiting(item);
  }
  return item ?? null;
}

/**
 * Messages sent on this connection and not confirmed within CONFIRM_TIMEOUT_MS: one sent for the
 * second time is given up; for any other the link is suspect, and is dropped (the resume confirms
 * the line or sends it again). Whether the link was dropped.
 */
function checkConfirmations(now) {
  const late = sentHere().filter((item) => now - item.sentAt > CONFIRM_TIMEOUT_MS);
  for (const item of late.filter((i) => i.sends >= 2)) {
    failMessage(item, 'not sent', NOT_CONFIRMED);
  }
  if (late.some((item) => item.sends < 2)) {
    dropLink('the server did not confirm a line in time');
    return true;
  }
  return false;
}

/**
 * A message that was not sent (or may not have been): it stays in its window, marked with the
 * badge ('not sent'), and the reason comes under it.
 */
function failMessage(item, badge, reason) {
  removeWaiting(item);
  const win = windowOf(item) || viewed;
  addLine(win, makeLine(item.kind, Date.now(), {
    from: me.name,
    text: item.text,
    note: item.kind === 'private' ? `${badge} to ${item.to}` : badge,
    classes: ['failed'],
  }));
  note(win, 'error', reason);
}

/** The window a waiting line was typed in, if it is still open. */
function windowOf(item) {
  if (!item) {
    return null;
  }
  return item.windowKey === noWindow.key ? noWindow : findWindow(item.windowKey) ?? null;
}

function removeWaiting(item) {
  const index = waiting.indexOf(item);
  if (index >= 0) {
    waiting.splice(index, 1);
    renderWaiting();
    updateStatus();
  }
}

/** Makes a room the server's current one, if it is not: /join of a room we are in cannot fail. */
function ensureCurrent(key) {
  const win = findWindow(key);
  if (win && currentRoom !== key && isOnline()) {
    send(`/join ${win.label}`);
    currentRoom = key;
  }
}

/** Looks at a window, and makes its room the current one so commands apply to it. */
function switchTo(win) {
  showWindow(win);
  if (win.kind === 'room') {
    ensureCurrent(win.key);
  }
  dom.input.focus();
}

// History pages: scrolling to the top of a room asks for the messages before the oldest shown.

function maybeLoadOlder(win) {
  if (ui.older || ui.entering || !isOnline() || link.resume || win.kind !== 'room' || win.key !== currentRoom) {
    return;
  }
  const before = oldestSeq(win);
  if (before <= 1 || before === win.olderDoneAt || win.lines.length + PAGE_SIZE > MAX_LINES) {
    return;
  }
  send(`/history before ${before} ${PAGE_SIZE}`);
  ui.older = { win, before, received: 0, timer: setTimeout(endOlderPage, PAGE_TIMEOUT_MS) };
}

/** Follows the answer to a history page: its lines, or one line saying there are none. */
function trackOlderPage(event) {
  const page = ui.older;
  const ofPage = event.history && event.room && roomKey(event.room) === page.win.key && event.seq < page.before;
  if (ofPage) {
    page.received += 1;
    clearTimeout(page.timer);
    page.timer = setTimeout(endOlderPage, PAGE_QUIET_MS);
  } else if (page.received === 0 && event.type === 'system') {
    endOlderPage(); // "No messages in #lobby before 5."
  } else if (page.received === 0 && event.type === 'error') {
    cancelOlderPage(); // the server is busy: scrolling up again asks again
  }
}

/** A page is complete: look whether the view is filled now; after an empty one, ask no more. */
function endOlderPage() {
  const page = ui.older;
  cancelOlderPage();
  if (page.received === 0) {
    page.win.olderDoneAt = page.before;
  } else {
    fillIfShort();
  }
}

function cancelOlderPage() {
  if (ui.older) {
    clearTimeout(ui.older.timer);
    ui.older = null;
  }
}

/** A room's recent history follows its room event: no page is asked for before it is in. */
function startEntering(win) {
  endEntering();
  ui.entering = { win, timer: setTimeout(endEntering, PAGE_QUIET_MS) };
}

/** The entry goes on while the room's history (and topic) comes; anything else ends it. */
function trackEntering(event) {
  const entering = ui.entering;
  if (event.room && roomKey(event.room) === entering.win.key && (event.history || event.type === 'topic')) {
    clearTimeout(entering.timer);
    entering.timer = setTimeout(endEntering, PAGE_QUIET_MS);
  } else {
    endEntering();
  }
}

function endEntering() {
  if (ui.entering) {
    clearTimeout(ui.entering.timer);
    ui.entering = null;
    fillIfShort();
  }
}

/**
 * A room whose lines do not fill the view cannot be scrolled up: ask for more right away; so too
 * when the view was scrolled to the top while no page could be asked for (a room being entered).
 */
function fillIfShort() {
  const box = dom.messages;
  if (box.scrollHeight <= box.clientHeight + 1 || box.scrollTop < 40) {
    maybeLoadOlder(viewed);
  }
}

// Recalling sent lines with Up and Down.

function remember(typed) {
  if (ui.recall[ui.recall.length - 1] !== typed) {
    ui.recall.push(typed);
    ui.recall.splice(0, ui.recall.length - RECALL_SIZE);
  }
  ui.recallIndex = ui.recall.length;
}

/** Steps through the sent lines, while the input is empty or shows one of them unchanged. */
function recallLine(step) {
  const input = dom.input;
  const showing = ui.recall[ui.recallIndex];
  if (input.value !== '' && input.value !== showing) {
    return false;
  }
  const index = Math.min(ui.recall.length, Math.max(0, ui.recallIndex + step));
  if (index === ui.recallIndex && step < 0) {
    return index < ui.recall.length; // at the oldest: stay there
  }
  ui.recallIndex = index;
  input.value = ui.recall[index] ?? '';
  input.setSelectionRange(input.value.length, input.value.length);
  return true;
}

// ---------------------------------------------------------------------------------------------
// 7. Rendering

/** An element with a class and text; text always as text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text != null) {
    node.textContent = text;
  }
  return node;
}

function timeNode(time) {
  const node = el('span', 'time', clock(time));
  node.title = new Date(time).toLocaleString();
  return node;
}

/**
 * A name in its colour: the hue from the name, the lightness from the theme (style.css). Like
 * <bdi>, in its own direction (with unicode-bidi: isolate in style.css): a right-to-left name and
 * the text after it do not swap places.
 */
function nameNode(name) {
  const node = el('span', 'from', name);
  node.dir = 'auto';
  node.style.setProperty('--hue', nameHue(name));
  return node;
}

/**
 * A line's text, with the places that name the user marked. What someone wrote goes in its own
 * direction (a Hebrew line reads right to left); the page's sentences stay left to right.
 */
function textNode(text, highlight, written) {
  const node = el('span', 'text');
  if (written) {
    node.dir = 'auto';
  }
  if (!highlight) {
    node.textContent = text;
    return node;
  }
  for (const piece of splitMentions(text, highlight)) {
    node.append(piece.mention ? el('mark', 'mention', piece.text) : document.createTextNode(piece.text));
  }
  return node;
}

function lineNode(line) {
  const node = el('div', `line ${line.type}`);
  node.classList.add(...(line.classes || []));
  if (line.history) {
    node.classList.add('history');
  }
  if (line.highlight) {
    node.classList.add('mention');
  }
  if (line.seq != null) {
    node.dataset.seq = line.seq;
  }
  if (line.room) {
    node.dataset.room = line.room;
  }
  node.append(timeNode(line.time));
  if (line.note) {
    node.append(el('span', 'note', line.note));
  }
  if (line.from) {
    node.append(nameNode(line.from));
  }
  node.append(textNode(line.text, line.highlight, Boolean(line.from)));
  return node;
}

/** The separator shown where the day changes. */
function dayNode(time) {
  const node = el('div', 'line day');
  node.append(el('span', 'time'), el('span', 'text', dayLabel(time)));
  return node;
}

function waitingNode(item) {
  const message = item.kind !== 'command';
  const node = lineNode(makeLine(message ? item.kind : 'command', item.time, {
    from: message ? me.name : null,
    note: item.kind === 'private' ? `to ${item.to}` : null,
    text: item.text,
  }));
  node.classList.add('waiting');
  node.title = item.state === 'sent' ? 'Sent; waiting for the server to confirm it' : 'Waiting to be sent';
  return node;
}

function isAtBottom(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 40;
}

/** Rebuilds #messages for the viewed window: its lines with day separators, then its waiting lines. */
function renderMessages() {
  const fragment = document.createDocumentFragment();
  let day = null;
  for (const line of viewed.lines) {
    if (dayKey(line.time) !== day) {
      day = dayKey(line.time);
      fragment.append(dayNode(line.time));
    }
    fragment.append(lineNode(line));
  }
  ui.lastDay = day;
  for (const item of waiting.filter((i) => i.windowKey === viewed.key)) {
    fragment.append(waitingNode(item));
  }
  dom.messages.replaceChildren(fragment);
}

/** A rebuild on the next frame, keeping in place what the user is looking at. */
function scheduleRender() {
  if (ui.renderPending) {
    return;
  }
  ui.renderPending = true;
  requestAnimationFrame(() => {
    ui.renderPending = false;
    const box = dom.messages;
    const fromBottom = box.scrollHeight - box.scrollTop;
    renderMessages();
    box.scrollTop = box.scrollHeight - fromBottom;
    fillIfShort();
  });
}

/** Shows a line that comes last in the viewed window, above its waiting lines. */
function appendToView(line) {
  const box = dom.messages;
  const atBottom = isAtBottom(box);
  const firstWaiting = box.querySelector('.line.waiting');
  if (dayKey(line.time) !== ui.lastDay) {
    ui.lastDay = dayKey(line.time);
    box.insertBefore(dayNode(line.time), firstWaiting);
  }
  box.insertBefore(lineNode(line), firstWaiting);
  if (atBottom) {
    box.scrollTop = box.scrollHeight;
  }
}

function renderWaiting() {
  if (!dom || ui.renderPending) {
    return;
  }
  const box = dom.messages;
  const atBottom = isAtBottom(box);
  for (const node of box.querySelectorAll('.line.waiting')) {
    node.remove();
  }
  box.append(...waiting.filter((i) => i.windowKey === viewed.key).map(waitingNode));
  if (atBottom) {
    box.scrollTop = box.scrollHeight;
  }
}

/** The window buttons, kept (so that a focused one stays focused) and updated. */
function renderSidebar() {
  if (!dom) {
    return;
  }
  const ordered = orderedWindows();
  ordered.forEach((win, index) => {
    if (!win.button) {
      win.button = el('button', 'window');
      win.button.type = 'button';
      win.button.append(el('span', 'label'), el('span', 'unread'));
      win.button.addEventListener('click', () => {
        switchTo(win);
        closeSidebar();
      });
    }
    const button = win.button;
    button.dataset.window = win.label;
    button.querySelector('.label').textContent = win.label;
    button.querySelector('.unread').textContent = win.unread > 0 ? String(win.unread) : '';
    button.classList.toggle('current', win === viewed);
    button.classList.toggle('mention', win.mention);
    if (win === viewed) {
      button.setAttribute('aria-current', 'true');
    } else {
      button.removeAttribute('aria-current');
    }
    button.title = index < 9 ? `${win.label} (Alt+${index + 1})` : win.label;
  });
  const shown = [...dom.windows.children];
  if (shown.length !== ordered.length || shown.some((node, i) => node !== ordered[i].button)) {
    dom.windows.replaceChildren(...ordered.map((win) => win.button));
  }
  const unread = ordered.reduce((sum, win) => sum + win.unread, 0);
  dom.sidebarToggle.textContent = unread > 0 ? `Windows (${unread})` : 'Windows';
}

function renderHeader() {
  if (!dom) {
    return;
  }
  dom.windowTitle.textContent = viewed.label || TITLE;
  if (viewed.kind === 'private') {
    dom.topic.textContent = `Private conversation with ${viewed.label.slice(1)}`;
  } else if (viewed.kind === 'room') {
    dom.topic.textContent = viewed.topic;
  } else {
    dom.topic.textContent = 'You are in no room: /join #room to chat there (/rooms lists them).';
  }
  dom.input.placeholder = viewed.kind === 'none' ? 'Type /join #room or /help'
    : `Message ${viewed.label} (/help for commands)`;
}

function membersChanged(win) {
  if (win === viewed) {
    renderMembers();
  }
}

/**
 * The members of the viewed room, those away marked "(away)" with their text as its tooltip; a
 * click opens a private conversation.
 */
function renderMembers() {
  const names = viewed.kind === 'room' ? [...viewed.members.values()] : [];
  names.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  dom.membersHeading.textContent = viewed.kind === 'room' ? `Members (${names.length})` : 'Members';
  dom.members.replaceChildren(...names.map((name) => {
    const item = el('li');
    const open = el('button', 'member');
    open.type = 'button';
    open.title = `${name}: a click opens a private conversation`; // the whole name, if cut short
    open.append(nameNode(name));
    const away = isMe(name) ? me.away : viewed.away.get(nameKey(name));
    if (away != null) {
      const mark = el('span', 'away', ' (away)');
      mark.title = `away: ${away}`;
      open.append(mark);
    }
    open.addEventListener('click', () => {
      switchTo(privateWindow(name));
      closeSidebar();
    });
    item.append(open);
    return item;
  }));
}

/** Shows a window (without telling the server; see switchTo). */
function showWindow(win) {
  if (viewed !== win) {
    viewed.scrollTop = isAtBottom(dom.messages) ? null : dom.messages.scrollTop;
  }
  viewed = win;
  win.unread = 0;
  win.mention = false;
  renderSidebar();
  renderHeader();
  renderMembers();
  renderMessages();
  dom.messages.scrollTop = win.scrollTop ?? dom.messages.scrollHeight;
  scheduleSave();
  fillIfShort();
}

function updateStatus() {
  if (!dom) {
    return;
  }
  let state;
  let text;
  if (link.joined) {
    state = 'online';
    text = `Online as ${me.name}`;
  } else if (link.socket) {
    state = 'connecting';
    text = link.attempt > 0 ? `Reconnecting… (attempt ${link.attempt})` : 'Connecting…';
  } else {
    state = 'offline';
    if (link.halted) {
      text = `Offline — ${link.halted}`;
    } else if (link.retryTimer) {
      const wait = Math.max(0, Math.ceil((link.retryAt - Date.now()) / 1000));
      text = `Offline — reconnecting in ${wait} s (attempt ${link.attempt})`;
    } else {
      text = 'Offline';
    }
  }
  if (waiting.length > 0) {
    text += ` · ${waiting.length} ${waiting.length === 1 ? 'line' : 'lines'} waiting`;
  }
  dom.status.dataset.state = state;
  dom.status.textContent = text;
  dom.reconnect.hidden = state !== 'offline';
}

// Screens.

function showChat() {
  ui.phase = 'chat';
  dom.join.hidden = true;
  dom.chat.hidden = false;
  setJoinBusy(false);
  showWindow(viewed);
  dom.input.focus();
}

/** The join screen, with a reason (a refusal) and, if the server wants one, the password field. */
function showJoin(message, askPassword) {
  ui.phase = 'join';
  dom.chat.hidden = true;
  dom.join.hidden = false;
  setJoinBusy(false);
  if (me.name) {
    dom.joinName.value = me.name; // the name asked for, or the one we had
  }
  showJoinError(message || '');
  if (askPassword) {
    dom.passwordRow.hidden = false;
    dom.joinPassword.value = '';
    dom.joinPassword.focus();
  } else {
    dom.joinName.focus();
    dom.joinName.select();
  }
}

function showJoinError(text) {
  dom.joinError.textContent = text;
}

function setJoinBusy(busy) {
  dom.joinButton.disabled = busy;
  dom.joinButton.textContent = busy ? 'Joining…' : 'Join';
}

function onJoinSubmit(submitEvent) {
  submitEvent.preventDefault();
  const name = dom.joinName.value.trim();
  const problem = nameProblem(name);
  if (problem) {
    showJoinError(problem); // never sent: the JOIN line would read the rest as its options
    dom.joinName.focus();
    return;
  }
  if (!dom.passwordRow.hidden) {
    if (dom.joinPassword.value === '') {
      showJoinError('This server needs its password.');
      dom.joinPassword.focus();
      return;
    }
    me.password = dom.joinPassword.value;
  }
  me.name = name;
  showJoinError('');
  setJoinBusy(true);
  if (link.socket && link.opened && !link.joined && link.socket.readyState === WebSocket.OPEN) {
    sendJoin(); // a refused join leaves the connection open for another try
  } else {
    connect();
  }
}

/** After /quit: everything goes, and the join screen comes back. */
function leaveChat(message) {
  clearTimeout(link.retryTimer);
  clearInterval(link.ticker);
  closeStale();
  Object.assign(link, { retryTimer: null, ticker: null, quitting: false, halted: null, attempt: 0, lost: false });
  if (link.socket) {
    const socket = link.socket;
    link.socket = null;
    socket.close();
  }
  endResume();
  cancelOlderPage();
  endEntering();
  forgetSession();
  me.token = null;
  me.away = null;
  windows.length = 0;
  waiting.length = 0;
  noWindow.lines = [];
  noWindow.seqs.clear();
  viewed = noWindow;
  currentRoom = null;
  showJoin(message, false);
}

function toggleSidebar() {
  const open = dom.chat.classList.toggle('sidebar-open');
  dom.sidebarToggle.setAttribute('aria-expanded', String(open));
}

function closeSidebar() {
  dom.chat.classList.remove('sidebar-open');
  dom.sidebarToggle.setAttribute('aria-expanded', 'false');
}

function updateNotifyButton() {
  dom.notifyButton.hidden = !('Notification' in window) || Notification.permission !== 'default';
}

// ---------------------------------------------------------------------------------------------
// 8. Start-up and the keyboard

/** Alt+1..9 picks a window, Alt+Up/Down the previous/next; typing anywhere types in the input. */
function onGlobalKey(keyEvent) {
  if (ui.phase !== 'chat') {
    return;
  }
  if (keyEvent.altKey && !keyEvent.ctrlKey && !keyEvent.metaKey) {
    const ordered = orderedWindows();
    const digit = /^Digit([1-9])$/.exec(keyEvent.code);
    let target = null;
    if (digit) {
      target = ordered[Number(digit[1]) - 1];
    } else if (keyEvent.key === 'ArrowUp' || keyEvent.key === 'ArrowDown') {
      const step = keyEvent.key === 'ArrowUp' ? -1 : 1;
      const index = ordered.indexOf(viewed);
      target = ordered[(index + step + ordered.length) % ordered.length];
    } else {
      return;
    }
    keyEvent.preventDefault();
    if (target) {
      switchTo(target);
    }
    return;
  }
  const typing = keyEvent.key.length === 1 && !keyEvent.ctrlKey && !keyEvent.metaKey;
  if (typing && (document.activeElement === document.body || document.activeElement === dom.messages)) {
    dom.input.focus(); // the key goes on to the input
  }
}

/** Up/Down recall sent lines; Page Up/Down scroll the messages. */
function onInputKey(keyEvent) {
  if (keyEvent.altKey || keyEvent.ctrlKey || keyEvent.metaKey) {
    return;
  }
  if ((keyEvent.key === 'ArrowUp' || keyEvent.key === 'ArrowDown')
      && recallLine(keyEvent.key === 'ArrowUp' ? -1 : 1)) {
    keyEvent.preventDefault();
  } else if (keyEvent.key === 'PageUp' || keyEvent.key === 'PageDown') {
    const box = dom.messages;
    box.scrollBy(0, (keyEvent.key === 'PageUp' ? -0.9 : 0.9) * box.clientHeight);
    keyEvent.preventDefault();
  }
}

function onVisibilityChange() {
  if (!document.hidden) {
    ui.titleCount = 0;
    document.title = TITLE;
  }
}

function start() {
  const byId = (id) => document.getElementById(id);
  dom = {
    join: byId('join'),
    joinForm: byId('join-form'),
    joinName: byId('join-name'),
    passwordRow: byId('join-password-row'),
    joinPassword: byId('join-password'),
    joinButton: byId('join-button'),
    joinError: byId('join-error'),
    chat: byId('chat'),
    windows: byId('windows'),
    members: byId('members'),
    membersHeading: byId('members-heading'),
    notifyButton: byId('notify-button'),
    sidebarToggle: byId('sidebar-toggle'),
    windowTitle: byId('window-title'),
    topic: byId('topic'),
    messages: byId('messages'),
    status: byId('status'),
    reconnect: byId('reconnect'),
    sendForm: byId('send-form'),
    input: byId('input'),
  };
  dom.joinForm.addEventListener('submit', onJoinSubmit);
  dom.sendForm.addEventListener('submit', onSend);
  dom.input.addEventListener('keydown', onInputKey);
  dom.messages.addEventListener('scroll', () => {
    ui.atBottom = isAtBottom(dom.messages);
    if (dom.messages.scrollTop < 40) {
      maybeLoadOlder(viewed);
    }
  });
  // A view that showed the newest lines keeps showing them when it shrinks (a phone's keyboard).
  new ResizeObserver(() => {
    if (ui.atBottom) {
      dom.messages.scrollTop = dom.messages.scrollHeight;
    }
  }).observe(dom.messages);
  dom.reconnect.addEventListener('click', () => {
    reconnectNow();
    dom.input.focus();
  });
  dom.sidebarToggle.addEventListener('click', toggleSidebar);
  dom.notifyButton.addEventListener('click', () => {
    Notification.requestPermission().then(updateNotifyButton);
    dom.input.focus();
  });
  document.addEventListener('keydown', onGlobalKey);
  document.addEventListener('visibilitychange', onVisibilityChange);
  window.addEventListener('online', () => link.retryTimer && reconnectNow());
  window.addEventListener('pagehide', saveSession);
  setInterval(checkLink, LINK_CHECK_MS);
  updateNotifyButton();

  if (restoreSession()) {
    // A reload: resume the session of this tab at once.
    showChat();
    connect();
  } else {
    showJoin('', false);
  }
}

document.addEventListener('DOMContentLoaded', start);
