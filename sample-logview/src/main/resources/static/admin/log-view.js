// Live log lines from /admin/websocket/log-view, through the starter's client, which reconnects with backoff and
// jitter and notices a dead connection by its heartbeats. Every log or user string goes through textContent, never
// HTML.
import { connect } from '/websocket-starter/client.js';

const MAX_LINES = 5000;
const ERROR = /\b(ERROR|FATAL|SEVERE|Exception)\b|" 5\d\d /;
const linesView = document.getElementById('lines');
const filesView = document.getElementById('files');
const filter = document.getElementById('filter');
const pauseButton = document.getElementById('pause');
const counts = document.getElementById('counts');
const connection = document.getElementById('connection');

const followed = new Set(JSON.parse(sessionStorage.getItem('log-view.followed') || '[]'));
const positions = {};
let pending = [];
let paused = false;
let socket = null;

function setConnection(state) {
  connection.className = 'connection ' + state;
  connection.textContent = state;
}

function send(request) {
  if (socket) {
    socket.send(JSON.stringify(request));
  }
}

function follow(name) {
  send(positions[name] ? { follow: name, from: positions[name] } : { follow: name });
}

function renderFiles(files) {
  filesView.replaceChildren();
  for (const file of files) {
    const label = document.createElement('label');
    label.className = 'file';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = file.name;
    box.checked = followed.has(file.name);
    box.addEventListener('change', () => {
      if (box.checked) {
        followed.add(file.name);
        follow(file.name);
      } else {
        followed.delete(file.name);
        send({ unfollow: file.name });
      }
      sessionStorage.setItem('log-view.followed', JSON.stringify([...followed]));
    });
    const name = document.createElement('span');
    name.textContent = file.name;
    const badge = document.createElement('span');
    badge.className = 'badge ' + file.state;
    badge.dataset.file = file.name;
    badge.textContent = file.state;
    label.append(box, name, badge);
    filesView.append(label);
  }
}

function setFileState(file, state) {
  for (const badge of filesView.querySelectorAll('.badge')) {
    if (badge.dataset.file === file) {
      badge.className = 'badge ' + state;
      badge.textContent = state;
    }
  }
}

function matches(text) {
  const wanted = filter.value.trim().toLowerCase();
  return !wanted || text.toLowerCase().includes(wanted);
}

function appendLines(entries) {
  const atBottom = linesView.scrollTop + linesView.clientHeight >= linesView.scrollHeight - 20;
  const fragment = document.createDocumentFragment();
  for (const entry of entries) {
    const line = document.createElement('div');
    line.className = 'line' + (entry.system ? ' system' : ERROR.test(entry.text) ? ' error' : '');
    const file = document.createElement('span');
    file.className = 'file';
    file.textContent = entry.file;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = entry.text;
    line.append(file, text);
    if (!matches(entry.text)) {
      line.classList.add('hidden');
    }
    fragment.append(line);
  }
  linesView.append(fragment);
  while (linesView.childElementCount > MAX_LINES) {
    linesView.firstElementChild.remove();
  }
  if (atBottom) {
    linesView.scrollTop = linesView.scrollHeight;
  }
  updateCounts();
}

function show(entries) {
  if (paused) {
    // Kept while paused, up to what the page would keep anyway
    pending = pending.concat(entries).slice(-MAX_LINES);
    updateCounts();
  } else {
    appendLines(entries);
  }
}

function updateCounts() {
  counts.textContent = linesView.childElementCount + ' lines' + (paused ? ', ' + pending.length + ' waiting' : '');
}

function onMessage(message) {
  switch (message.type) {
    case 'files':
      renderFiles(message.files);
      for (const name of followed) {
        if (message.files.some((file) => file.name === name)) {
          follow(name);
        } else {
          followed.delete(name);
        }
      }
      break;
    case 'lines':
      if (message.continued === false && positions[message.file]) {
        show([{ file: message.file, text: 'could not resume where this page left off: showing the latest lines', system: true }]);
      }
      if (message.state) {
        setFileState(message.file, message.state);
      }
      positions[message.file] = message.position;
      show(message.lines.map((text) => ({ file: message.file, text })));
      break;
    case 'state':
      setFileState(message.file, message.state === 'deleted' || message.state === 'waiting' ? message.state : 'active');
      show([{
        file: message.file,
        text: message.state === 'skipped' ? 'skipped ' + message.skipped + ' lines: the file grew faster than the page can show' : 'file ' + message.state,
        system: true
      }]);
      break;
    case 'error':
      show([{ file: 'server', text: message.message, system: true }]);
      break;
  }
}

pauseButton.addEventListener('click', () => {
  paused = !paused;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  pauseButton.classList.toggle('paused', paused);
  if (!paused && pending.length) {
    const waiting = pending;
    pending = [];
    appendLines(waiting);
  }
  updateCounts();
});

filter.addEventListener('input', () => {
  for (const line of linesView.children) {
    line.classList.toggle('hidden', !matches(line.querySelector('.text').textContent));
  }
});

// Following resumes from the positions kept, once the server lists its files again
socket = connect('/admin/websocket/log-view', {
  onMessage: (data) => onMessage(JSON.parse(data)),
  onState: (state) => setConnection(state),
});
