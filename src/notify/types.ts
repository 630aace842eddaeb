// What a notifier carries: one event, already worded, with its facts for machine readers (the JSON webhook).
// The node and the broker venues hand these to `Notify`; channels only format and deliver them.

export const NOTIFY_KINDS = [
  'fill',
  'rejection',
  'kill_switch',
  'broker_disconnect',
  'broker_reconnect',
  'reconciliation',
  'daily_summary',
  'backup_failed',
  'test',
] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

export interface Notification {
  readonly kind: NotifyKind;
  /** Epoch ms the event happened (market time for session events). */
  readonly ts: number;
  /** One short line: subjects, titles. */
  readonly title: string;
  /** The message body, plain text. */
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * The hook the node hands to whoever has something to tell (broker venues: disconnects, reconnects,
 * reconciliation corrections). Never throws, never waits: delivery happens later, off the caller's path.
 */
export type Notify = (n: Notification) => void;
