// The chat page: one WebSocket to the chosen room, reconnecting with backoff.
// Every string from the server is rendered with textContent, never as HTML.
(() => {
	'use strict';

	const BACKOFF_START_MS = 500;
	const BACKOFF_MAX_MS = 15000;
	const JITTER = 0.3;

	const el = (id) => document.getElementById(id);
	const roomSelect = el('room');
	const nameInput = el('name');
	const stateLabel = el('state');
	const membersLabel = el('members');
	const messages = el('messages');
	const textInput = el('text');
	const sendButton = document.querySelector('#compose button');

	let socket = null;
	let room = null;
	let requestedName = null;
	let myName = null;
	const shown = new Set();
	let attempt = 0;
	let retryTimer = null;

	function setState(state, label) {
		stateLabel.dataset.state = state;
		stateLabel.textContent = label || state;
		const open = state === 'open';
		textInput.disabled = !open;
		sendButton.disabled = !open;
		textInput.placeholder = open ? 'Message ' + roomName() + ' (Enter to send)' : 'Not connected';
	}

	function roomName() {
		const option = [...roomSelect.options].find((o) => o.value === room);
		return option ? option.textContent : room;
	}

	function socketUrl() {
		const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
		return scheme + location.host + room + '?name=' + encodeURIComponent(requestedName);
	}

	function join() {
		leave();
		room = roomSelect.value;
		requestedName = nameInput.value;
		attempt = 0;
		connect();
	}

	function leave() {
		clearTimeout(retryTimer);
		retryTimer = null;
		if (socket) {
			const old = socket;
			socket = null;
			old.close(1000);
		}
	}

	function connect() {
		setState(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'connecting…' : 'reconnecting…');
		const ws = new WebSocket(socketUrl());
		socket = ws;
		ws.onmessage = (event) => {
			if (socket === ws) {
				receive(JSON.parse(event.data));
			}
		};
		ws.onclose = (event) => {
			if (socket !== ws) {
				return; // replaced on purpose: leave() or a new join()
			}
			socket = null;
			if (event.code === 1003) {
				setState('closed', 'closed: ' + (event.reason || 'refused'));
				return;
			}
			scheduleReconnect();
		};
	}

	function scheduleReconnect() {
		const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
		const delay = Math.round(base * (1 - JITTER + Math.random() * 2 * JITTER));
		attempt++;
		setState('reconnecting', 'reconnecting in ' + (delay / 1000).toFixed(1) + ' s');
		retryTimer = setTimeout(connect, delay);
	}

	function receive(frame) {
		switch (frame.type) {
			case 'welcome':
				attempt = 0;
				myName = frame.name;
				messages.replaceChildren();
				shown.clear();
				showMembers(frame.members);
				setState('open', 'connected as ' + frame.name);
				break;
			case 'history':
				frame.messages.forEach(showMessage);
				notice('You joined ' + roomName() + ' as ' + myName);
				break;
			case 'message':
				showMessage(frame);
				break;
			case 'presence_diff':
				// Our own join comes in the first diff too: names are unique in a room
				frame.joins.filter((member) => member.attributes.name !== myName)
					.forEach((member) => notice(member.attributes.name + ' joined'));
				frame.leaves.forEach((member) => notice(member.attributes.name + ' left'));
				showMembers(frame.users);
				break;
			case 'error':
				append('li', 'error', frame.message || frame.error);
				break;
		}
	}

	function showMessage(frame) {
		// A message posted while we joined may come in the history and live
		if (shown.has(frame.id)) {
			return;
		}
		shown.add(frame.id);
		const item = append('li', frame.from === myName ? 'message mine' : 'message');
		const from = item.appendChild(document.createElement('span'));
		from.className = 'from';
		from.textContent = frame.from;
		const at = new Date(frame.at);
		const time = item.appendChild(document.createElement('time'));
		time.dateTime = frame.at;
		time.title = at.toLocaleString();
		time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
		const text = item.appendChild(document.createElement('p'));
		text.className = 'text';
		text.textContent = frame.text;
	}

	function notice(text) {
		append('li', 'notice', text);
	}

	function append(tag, className, text) {
		const main = messages.parentElement;
		const atBottom = main.scrollHeight - main.scrollTop - main.clientHeight < 40;
		const item = messages.appendChild(document.createElement(tag));
		item.className = className;
		if (text !== undefined) {
			item.textContent = text;
		}
		if (atBottom) {
			item.scrollIntoView({ block: 'end' });
		}
		return item;
	}

	function showMembers(count) {
		membersLabel.textContent = count === 1 ? '1 member' : count + ' members';
	}

	el('join').addEventListener('submit', (event) => {
		event.preventDefault();
		join();
	});

	el('compose').addEventListener('submit', (event) => {
		event.preventDefault();
		const text = textInput.value;
		if (text.trim() === '' || !socket || socket.readyState !== WebSocket.OPEN) {
			return;
		}
		socket.send(JSON.stringify({ text }));
		textInput.value = '';
	});

	setState('idle', 'not connected');
})();
