/**
 * A model trained with --pseudonymize holds tokens for user ids, made with one key. New events
 * meet it only under that key: read without it (raw ids) or with another (other tokens), no id
 * would match, and every listener would get a newcomer's playlist under an id of another kind.
 */
import type { PrivacyFlags } from '../config/interaction-source.js';
import type { ModelData } from '../model/model-data.js';

/** `model`: the model's data, or what its manifest records (`extensions.pseudonyms`). */
export function checkModelPseudonyms(command: string, modelDir: string, model: Pick<ModelData, 'pseudonyms'>, f: PrivacyFlags): void {
  const trained = model.pseudonyms?.keyCheck;
  const given = f.pseudonymKeyCheck;
  if (trained !== undefined && given === undefined) {
    throw new Error(`${command}: the model in ${modelDir} was trained with --pseudonymize (its user ids are tokens); run with --pseudonymize and the same key`);
  }
  if (trained === undefined && given !== undefined) {
    throw new Error(`${command}: the model in ${modelDir} holds raw user ids (trained without --pseudonymize); the events' tokens would match none of them: drop --pseudonymize or train with it`);
  }
  if (trained !== given) {
    throw new Error(`${command}: the pseudonym key is not the one the model in ${modelDir} was trained with (its tokens would match none of the model's user ids)`);
  }
}
