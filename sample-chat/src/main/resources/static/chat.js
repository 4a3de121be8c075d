// The chat page: one connection to the chosen room through the starter's client
// (/websocket-starter/client.js), which reconnects with backoff and jitter and recovers
// the messages missed meanwhile. Every string from the server is rendered with
// textContent, never as HTML, and every name in a <bdi>, so that no name can reorder the
// line it is in.
import { connect } from '/websocket-starter/client.js';

const el = (id) => document.getElementById(id);
const roomSelect = el('room');
const nameInput = el('name');
const stateLabel = el('state');
const membersLabel = el('members');
const peopleList = el('people');
const messages = el('messages');
const textInput = el('text');
const sendButton = document.querySelector('#compose button');

// The close code of a name the server refuses
const INVALID_NAME = 4400;

let socket = null;
let room = null;
let myName = null;
// The history frame of the last welcome, shown once the starter says whether the
// messages missed follow
let pendingHistory = null;
// Offsets of the messages shown, in the epoch of the room's history
let epoch = null;
const shown = new Set();
// The names of the room's members, as the welcome lists them and the diffs change them
const people = new Set();

function setState(state, label, name) {
	stateLabel.dataset.state = state;
	stateLabel.replaceChildren(label || state);
	if (name !== undefined) {
		stateLabel.append(bdi(name));
	}
	const open = state === 'open';
	textInput.disabled = !open;
	sendButton.disabled = !open;
	textInput.placeholder = open ? 'Message ' + roomName() + ' (Enter to send)' : 'Not connected';
}

function roomName() {
	const option = [...roomSelect.options].find((o) => o.value === room);
	return option ? option.textContent : room;
}

function join() {
	leave();
	room = roomSelect.value;
	const requestedName = nameInput.value;
	messages.replaceChildren();
	shown.clear();
	epoch = null;
	socket = connect(room + '?name=' + encodeURIComponent(requestedName), {
		onMessage(data, meta) {
			const frame = JSON.parse(data);
			if (meta) {
				showMessage(frame, meta.epoch, meta.offset);
			}
			else {
				receive(frame);
			}
		},
		onSubscribed(subscribed) {
			if (subscribed.recovery === 'recovered') {
				// Every message missed follows: the history would repeat what is shown
				pendingHistory = null;
				return;
			}
			if (subscribed.recovery === 'not-recoverable') {
				messages.replaceChildren();
				shown.clear();
			}
			if (pendingHistory) {
				pendingHistory.messages.forEach((message) => showMessage(message, pendingHistory.epoch, message.offset));
				pendingHistory = null;
			}
			notice('You joined ' + roomName() + ' as ', bdi(myName));
		},
		onState(state, detail) {
			if (state === 'reconnecting') {
				setState(state, typeof detail === 'number' ? 'reconnecting in ' + (detail / 1000).toFixed(1) + ' s'
					: 'reconnecting…');
			}
			else if (state === 'closed') {
				setState(state, detail && detail.reason ? 'closed: ' + detail.reason : 'closed');
			}
			else if (state === 'connecting') {
				setState(state, 'connecting…');
			}
		},
		// The server refused what the page sent, or the name: trying again would not help
		reconnect: (event) => event.code !== 1003 && event.code !== INVALID_NAME,
	});
}

function leave() {
	if (socket) {
		const old = socket;
		socket = null;
		old.close();
	}
}

function receive(frame) {
	switch (frame.type) {
		case 'welcome':
			myName = frame.name;
			people.clear();
			(frame.names || []).forEach((name) => people.add(name));
			people.add(myName);
			showPeople();
			showMembers(frame.members);
			setState('open', 'connected as ', frame.name);
			break;
		case 'history':
			pendingHistory = frame;
			break;
		case 'presence_diff':
			// Our own join comes in the first diff too: names are unique in a room
			frame.joins.filter((member) => member.attributes.name !== myName)
				.forEach((member) => notice(bdi(member.attributes.name), ' joined'));
			frame.leaves.forEach((member) => notice(bdi(member.attributes.name), ' left'));
			// A name is one member's at a time: one that left before another took it
			frame.leaves.forEach((member) => people.delete(member.attributes.name));
			frame.joins.forEach((member) => people.add(member.attributes.name));
			showPeople();
			showMembers(frame.users);
			break;
		case 'error':
			append('li', 'error', frame.message || frame.error);
			break;
	}
}

function showMessage(frame, messageEpoch, offset) {
	if (messageEpoch !== epoch) {
		epoch = messageEpoch;
		shown.clear();
	}
	// A message may come in the history and live, or in the history and recovered
	if (shown.has(offset)) {
		return;
	}
	shown.add(offset);
	const item = append('li', frame.from === myName ? 'message mine' : 'message');
	const from = item.appendChild(document.createElement('bdi'));
	from.className = 'from';
	from.textContent = frame.from;
	const at = new Date(frame.at);
	const time = item.appendChild(document.createElement('time'));
	time.dateTime = frame.at;
	time.title = at.toLocaleString();
	time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
	const text = item.appendChild(document.createElement('p'));
	text.className = 'text';
	text.dir = 'auto';
	text.textContent = frame.text;
}

function notice(...parts) {
	append('li', 'notice').append(...parts);
}

function bdi(name) {
	const isolated = document.createElement('bdi');
	isolated.textContent = name;
	return isolated;
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

function showPeople() {
	peopleList.replaceChildren(...[...people].sort().map((name) => {
		const item = document.createElement('li');
		item.append(bdi(name));
		return item;
	}));
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
	if (text.trim() === '' || !socket || !socket.send(JSON.stringify({ text }))) {
		return;
	}
	textInput.value = '';
});

setState('idle', 'not connected');
