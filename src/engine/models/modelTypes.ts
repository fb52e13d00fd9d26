/**
 * The config.json `model_type`s the model registry (registry.ts) loads, in the order messages
 * list them. Kept free of tfjs and the model code so the adapter inspector's Worker can ask it
 * without loading either; registry.ts keys its families by exactly these (the compiler holds
 * the two together: `Record<FamilyName, ModelFamily>`).
 */
export const MODEL_TYPES = ['gpt2', 'llama', 'qwen2'] as const;

/** A model_type the registry loads. */
export type FamilyName = (typeof MODEL_TYPES)[number];

/** Does the registry load bases with this config.json model_type? */
export const isLoadableModelType = (t: string): boolean => (MODEL_TYPES as readonly string[]).includes(t);
