/**
 * A swappable reference to the model a service answers with. Models are immutable, so a call
 * that started on the old model finishes on it while new calls see the new one: swapping never
 * makes an in-flight call fail.
 */
import { Model } from './model.js';

export class ModelHandle {
  private current: Model;
  /** The last reload asked for: the next one starts when it has ended. */
  private reloads: Promise<unknown> = Promise.resolve();

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
   * Load a model directory (verified), warm its caches (Model.warm) and swap it in. Reloads run
   * one at a time in the order they were asked for, so the last one asked for is the one left in
   * place; a failed reload leaves the model as it was. Calls keep using the previous model until
   * the new one is ready to answer at full speed.
   */
  reload(dir: string): Promise<Model> {
    const turn = this.reloads.then(async () => {
      const next = await (await Model.load(dir)).warm();
      this.swap(next);
      return next;
    });
    this.reloads = turn.catch(() => undefined);
    return turn;
  }

  /** Run a call against the current model (captured once, so a swap mid-call is harmless). */
  async use<T>(fn: (model: Model) => Promise<T> | T): Promise<T> {
    const m = this.current;
    return fn(m);
  }
}
