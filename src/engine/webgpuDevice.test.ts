import { describe, expect, it } from 'vitest';
import { requiredLimitsOf, REQUESTED_LIMITS } from './webgpuDevice';

describe('WebGPU device limits', () => {
  it("asks for the adapter's value of each listed limit it reports, and nothing else", () => {
    const limits = requiredLimitsOf({
      maxBufferSize: 2 ** 34,
      maxStorageBufferBindingSize: 2 ** 31,
      maxStorageBuffersPerShaderStage: 16,
      maxTextureDimension2D: 8192,
      maxComputeWorkgroupSizeX: undefined,
    });
    expect(limits).toEqual({
      maxBufferSize: 2 ** 34,
      maxStorageBufferBindingSize: 2 ** 31,
      maxStorageBuffersPerShaderStage: 16,
    });
    expect(REQUESTED_LIMITS).toContain('maxStorageBuffersPerShaderStage');
  });
});
