// websocket-starter's browser client, served by every app on the starter at
// /websocket-starter/client.js. No dependencies, no build step:
//
//   import { connect } from '/websocket-starter/client.js';
//   const socket = connect('/websocket/chat?name=alice', { onMessage(data, meta) { ... } });
//
// One WebSocket that reconnects with exponential backoff and jitter, sends heartbeats so
// that a dead connection is noticed, and, for subscriptions that keep history, asks the
// server on each reconnect for what it missed: every message once, in order, or word that
// what was missed cannot be known. See client.d.ts for the options.

const STARTER_FRAME = '{"ws":"';
const PING = '{"ws":"ping"}';

export function connect(url, options = {}) {
	const settings = {
		initialDelay: 500,
		maxDelay: 15000,
		jitter: 0.3,
		heartbeat: 25000,
		...options,
	};
	// Per subscription, the epoch and offset of the last message passed to the page
	const positions = new Map();
	let socket = null;
	let attempt = 0;
	let retryTimer = null;
	let heartbeatTimer = null;
	let lastFrameAt = 0;
	let pinged = false;
	let stopped = false;
	let currentState = 'connecting';

	function setState(state, detail) {
		currentState = state;
		if (settings.onState) {
			settings.onState(state, detail);
		}
	}

	function target() {
		const address = new URL(typeof url === 'function' ? url() : url, location.href);
		if (address.protocol === 'http:') {
			address.protocol = 'ws:';
		}
		else if (address.protocol === 'https:') {
			address.protocol = 'wss:';
		}
		for (const [subscription, position] of positions) {
			address.searchParams.append('recover', position.epoch + ':' + position.offset + ':' + subscription);
		}
		return address.toString();
	}

	function open() {
		setState(attempt === 0 ? 'connecting' : 'reconnecting');
		const ws = new WebSocket(target());
		socket = ws;
		ws.onopen = () => {
			if (socket !== ws) {
				return;
			}
			lastFrameAt = Date.now();
			pinged = false;
			setState('open');
			startHeartbeat();
			if (settings.onOpen) {
				settings.onOpen();
			}
		};
		ws.onmessage = (event) => {
			if (socket !== ws) {
				return;
			}
			lastFrameAt = Date.now();
			pinged = false;
			// Counted as a good connection only once the server says something
			attempt = 0;
			receive(event.data);
		};
		ws.onclose = (event) => {
			if (socket !== ws) {
				return;
			}
			socket = null;
			stopHeartbeat();
			if (settings.onClose) {
				settings.onClose(event);
			}
			if (stopped || (settings.reconnect && settings.reconnect(event) === false)) {
				setState('closed', event);
				return;
			}
			scheduleReconnect();
		};
	}

	function receive(data) {
		if (typeof data !== 'string' || !data.startsWith(STARTER_FRAME)) {
			deliver(data, null);
			return;
		}
		const frame = JSON.parse(data);
		if (frame.ws === 'pub') {
			published(frame);
		}
		else if (frame.ws === 'subscribed') {
			if (frame.recovery !== 'recovered') {
				// Nothing follows to bring the position up: start from where it joined
				positions.set(frame.sub, { epoch: frame.epoch, offset: frame.offset });
			}
			subscribed(frame.sub, frame.epoch, frame.offset, frame.recovery, frame.missed);
		}
	}

	function published(frame) {
		const known = positions.get(frame.sub);
		if (known && known.epoch === frame.epoch) {
			if (frame.offset <= known.offset) {
				return;
			}
			if (frame.offset > known.offset + 1) {
				// The server lost some on its way: reconnect and recover them
				reconnectNow();
				return;
			}
		}
		else if (known) {
			// The server's history started again: what came before cannot be known
			subscribed(frame.sub, frame.epoch, frame.offset - 1, 'not-recoverable', 0);
		}
		positions.set(frame.sub, { epoch: frame.epoch, offset: frame.offset });
		deliver(frame.data, { subscription: frame.sub, epoch: frame.epoch, offset: frame.offset });
	}

	function subscribed(subscription, epoch, offset, recovery, missed) {
		if (settings.onSubscribed) {
			settings.onSubscribed({ subscription, epoch, offset, recovery, missed });
		}
	}

	function deliver(data, meta) {
		if (settings.onMessage) {
			settings.onMessage(data, meta);
		}
	}

	function startHeartbeat() {
		stopHeartbeat();
		if (!(settings.heartbeat > 0)) {
			return;
		}
		heartbeatTimer = setInterval(() => {
			if (!socket || socket.readyState !== WebSocket.OPEN || Date.now() - lastFrameAt < settings.heartbeat) {
				return;
			}
			if (pinged) {
				// No answer for a whole period: the connection is dead, even if the
				// browser does not know it yet
				reconnectNow();
				return;
			}
			pinged = true;
			socket.send(PING);
		}, Math.max(100, settings.heartbeat / 2));
	}

	function stopHeartbeat() {
		if (heartbeatTimer !== null) {
			clearInterval(heartbeatTimer);
			heartbeatTimer = null;
		}
	}

	function reconnectNow() {
		const old = socket;
		socket = null;
		stopHeartbeat();
		if (old) {
			old.close(4000, 'reconnecting');
		}
		clearTimeout(retryTimer);
		attempt = 0;
		open();
	}

	function scheduleReconnect() {
		const base = Math.min(settings.maxDelay, settings.initialDelay * 2 ** attempt);
		const delay = Math.round(base * (1 - settings.jitter + Math.random() * 2 * settings.jitter));
		attempt++;
		setState('reconnecting', delay);
		retryTimer = setTimeout(open, delay);
	}

	open();

	return {
		send(text) {
			if (!socket || socket.readyState !== WebSocket.OPEN) {
				return false;
			}
			socket.send(text);
			return true;
		},
		close() {
			stopped = true;
			clearTimeout(retryTimer);
			stopHeartbeat();
			const old = socket;
			socket = null;
			if (old) {
				old.close(1000);
			}
			setState('closed');
		},
		get state() {
			return currentState;
		},
		position(subscription) {
			const position = positions.get(subscription);
			return position ? { ...position } : undefined;
		},
	};
}
