/**
 * A swappable reference to the model a service answers with. Models are immutable, so a call
 * that started on the old model finishes on it while new calls see the new one: swapping never
 * makes an in-flight call fail.
 */
import { Model } from './model.js';

export class ModelHandle {
  private current: Model;
  private loading?: Promise<Model>;

  constructor(model: Model) {
    this.current = model;
  }

  /** The model new calls should use. */
  get model(): Model {
    return this.current;
  }

  /** Replace the model; calls already running keep the one they started with. */
  swap(next: Model): Model {
    const previous = this.current;
    this.current = next;
    return previous;
  }

  /**
   * Load a model directory (verified), warm its caches (Model.warm) and swap it in; one load at a
   * time. Calls keep using the previous model until the new one is ready to answer at full speed.
   */
  async reload(dir: string): Promise<Model> {
    if (this.loading) await this.loading.catch(() => undefined);
    this.loading = Model.load(dir).then((m) => m.warm());
    try {
      const next = await this.loading;
      this.swap(next);
      return next;
    } finally {
      this.loading = undefined;
    }
  }

  /** Run a call against the current model (captured once, so a swap mid-call is harmless). */
  async use<T>(fn: (model: Model) => Promise<T> | T): Promise<T> {
    const m = this.current;
    return fn(m);
  }
}
