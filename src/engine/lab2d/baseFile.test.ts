import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { twoDSplits } from '../data/twoD';
import { configFile, decodeBaseFiles, decodeBaseModel, encodeWeights, parseConfig } from './baseFile';
import { gridPoints } from './grid';
import { pretrainBase } from './pretrain';
import { BASE_CONFIG, BASE_DATASET } from './spec';

const shipped = new URL('../../../public/models/mlp2d/', import.meta.url);

describe.each(['cpu', 'wasm'] as const)('2-D lab base model on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('the shipped files load and classify the base dataset as metrics.json says', async () => {
    const metrics = JSON.parse(readFileSync(new URL('metrics.json', shipped), 'utf8')) as {
      validation_accuracy: number;
      n_validation: number;
      seed: number;
      parameters: number;
    };
    const model = decodeBaseModel(
      readFileSync(new URL('config.json', shipped), 'utf8'),
      new Uint8Array(readFileSync(new URL('model.safetensors', shipped))),
    );
    expect(model.config).toEqual(BASE_CONFIG);
    expect(model.baseParamCount()).toBe(metrics.parameters);
    const { validation } = twoDSplits(BASE_DATASET, {
      nTrain: 2,
      nValidation: metrics.n_validation,
      seed: metrics.seed,
    });
    expect(await model.accuracy(validation)).toBeCloseTo(metrics.validation_accuracy, 2);
    expect(metrics.validation_accuracy).toBeGreaterThan(0.97);
    model.dispose();
  });

  it('a short seeded pretrain is reproducible and round-trips through the files', async () => {
    const start = tf.memory().numTensors;
    const a = await pretrainBase({ steps: 30, nTrain: 64, nValidation: 64 });
    const b = await pretrainBase({ steps: 30, nTrain: 64, nValidation: 64 });
    expect(a.finalLoss).toBeLessThan(a.firstLoss);
    expect(b.validationLoss).toBeCloseTo(a.validationLoss, 5);
    const w = await a.model.exportWeights();
    const back = decodeBaseModel(JSON.stringify(configFile(BASE_CONFIG)), encodeWeights(w));
    const x = gridPoints(4, 2);
    expect(await back.predict(x, 16)).toEqual(await a.model.predict(x, 16));
    for (const m of [a.model, b.model, back]) m.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('2-D lab files: bad input', () => {
  it('names what is wrong in config.json and model.safetensors', () => {
    expect(() => parseConfig('{')).toThrow(/config.json is not valid JSON/);
    expect(() => parseConfig('[]')).toThrow('config.json must be a JSON object');
    expect(() => parseConfig('{"model_type":"gpt2"}')).toThrow('model_type must be "mlp2d", got "gpt2"');
    expect(() => parseConfig('{"model_type":"mlp2d","sizes":[3,4,2],"activation":"tanh"}')).toThrow(
      'needs 2 inputs and 2 classes, got sizes [3, 4, 2]',
    );
    expect(() => parseConfig('{"model_type":"mlp2d","sizes":[2,4,2],"activation":"gelu"}')).toThrow(
      'activation must be "tanh" or "relu", got "gelu"',
    );
    const cfg = JSON.stringify(configFile(BASE_CONFIG));
    expect(() => decodeBaseModel(cfg, new Uint8Array(4))).toThrow(/Invalid safetensors file/);
    const wrong = encodeWeights(new Map([['layers.0.weight', { shape: [2, 2], data: new Float32Array(4) }]]));
    expect(() => decodeBaseModel(cfg, wrong)).toThrow('layers.0.weight must have shape [32, 2], got [2, 2]');
    const missing = encodeWeights(new Map([['layers.0.weight', { shape: [32, 2], data: new Float32Array(64) }]]));
    expect(() => decodeBaseFiles(cfg, missing)).toThrow(
      'model.safetensors has no tensor layers.0.bias (config.json says sizes [2, 32, 32, 2])',
    );
  });

  it('grid points are cell centres in image order (top row first)', () => {
    expect(Array.from(gridPoints(2, 1))).toEqual([-0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5]);
    expect(() => gridPoints(1, 1)).toThrow(/≥ 2/);
  });
});
