/**
 * SuperTokens-style overrides: each layer receives the layer below ("originalImplementation")
 * and returns a replacement. Every function of every layer runs with `this` bound to the final,
 * fully composed object, so a base implementation calling `this.verifyCredentials()` reaches a
 * user's override of it. An API set to `undefined` stays undefined: that disables its route.
 */
export type OverrideFunction<T extends object> = (originalImplementation: T, builder: OverrideableBuilder<T>) => T;

export class OverrideableBuilder<T extends object> {
  private layers: OverrideFunction<T>[] = [];

  constructor(private readonly base: T) {}

  override(layer: OverrideFunction<T>): this {
    this.layers.push(layer);
    return this;
  }

  build(): T {
    const final = {} as T;
    let current = bindTo(this.base, final);
    for (const layer of this.layers) {
      current = bindTo(layer({ ...current }, this), final);
    }
    Object.assign(final, current);
    return final;
  }
}

function bindTo<T extends object>(layer: T, target: T): T {
  const bound = {} as Record<string, unknown>;
  for (const [key, value] of Object.entries(layer)) {
    bound[key] =
      typeof value === "function"
        ? (...args: unknown[]) => (value as (this: T, ...a: unknown[]) => unknown).apply(target, args)
        : value;
  }
  return bound as T;
}

export function applyOverride<T extends object>(base: T, override: OverrideFunction<T> | undefined): T {
  const builder = new OverrideableBuilder(base);
  if (override !== undefined) builder.override(override);
  return builder.build();
}
