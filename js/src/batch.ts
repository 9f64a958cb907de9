/**
 * Coalesce the change events of one kernel message into one render.
 *
 * A message sets several traits at once and the model fires one change
 * event per trait; rendering on each would lay the widget out several times
 * per tick. `mark` records what changed and schedules `run` in a microtask;
 * `flush` runs it at once, for hosts that announce the end of a message
 * (Backbone's plain `change` event, fired after the per-trait ones). Either
 * way the render happens before the browser gets to style, layout or paint.
 */
export class Batch<K extends string> {
  private pending = new Set<K>();
  private scheduled = false;
  private closed = false;

  constructor(private readonly run: (changed: ReadonlySet<K>) => void) {}

  mark(key: K): void {
    if (this.closed) {
      return;
    }
    this.pending.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Run now if anything is marked; a no-op otherwise. */
  flush(): void {
    this.scheduled = false;
    if (this.closed || this.pending.size === 0) {
      return;
    }
    const changed = this.pending;
    this.pending = new Set();
    this.run(changed);
  }

  /** Drop what is pending and ignore everything after. */
  close(): void {
    this.closed = true;
    this.pending.clear();
  }
}
