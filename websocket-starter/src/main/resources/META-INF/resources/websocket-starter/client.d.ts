// Types for /websocket-starter/client.js.

/** Where a message of a subscription with history sits in it. */
export interface MessageMeta {
	/** The subscription it was multicast to. */
	subscription: string;
	/** The epoch of the subscription's offsets: offsets compare only within one epoch. */
	epoch: string;
	/** Its offset: one more than the message before it. */
	offset: number;
}

/** The client joined a subscription with history, and what became of its recovery. */
export interface Subscribed {
	subscription: string;
	epoch: string;
	/** The offset of the subscription's last message when the client joined. */
	offset: number;
	/**
	 * 'none': it asked for nothing (first connection). 'recovered': the messages it missed
	 * follow, each once, before anything live. 'not-recoverable': what it missed cannot be
	 * known (too old, or the server's history started again); reload what the page shows.
	 */
	recovery: 'none' | 'recovered' | 'not-recoverable';
	/** How many missed messages follow. */
	missed: number;
}

export type State = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Options {
	/** Every message: the app's own (meta null) and the subscriptions' (unwrapped). */
	onMessage?(data: string | Blob | ArrayBuffer, meta: MessageMeta | null): void;
	/** A subscription with history was joined, on each connection. */
	onSubscribed?(subscribed: Subscribed): void;
	/** The state changed; 'reconnecting' gives the delay in milliseconds when waiting. */
	onState?(state: State, detail?: number | CloseEvent): void;
	onOpen?(): void;
	onClose?(event: CloseEvent): void;
	/** Whether to reconnect after a close; return false to stop. Default: always. */
	reconnect?(event: CloseEvent): boolean;
	/** First reconnect delay in milliseconds, doubling up to maxDelay. Default 500. */
	initialDelay?: number;
	/** Longest reconnect delay in milliseconds. Default 15000. */
	maxDelay?: number;
	/** Each delay is varied by up to this fraction either way. Default 0.3. */
	jitter?: number;
	/** Milliseconds of silence before a heartbeat, and then before giving up on the connection; 0 for none. Default 25000. */
	heartbeat?: number;
}

export interface Socket {
	/** Send a text message; false when the connection is not open. */
	send(text: string): boolean;
	/** Close for good: no reconnect. */
	close(): void;
	readonly state: State;
	/** The epoch and offset of the last message of a subscription passed on. */
	position(subscription: string): { epoch: string; offset: number } | undefined;
}

/** Connect, and stay connected, to a URL or to what a function gives on each attempt. */
export function connect(url: string | (() => string), options?: Options): Socket;
