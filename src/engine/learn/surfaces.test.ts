import { describe, expect, it } from 'vitest';
import { curvaturesAt, SURFACES } from './surfaces';

describe('curvatures of the optimiser surfaces', () => {
  it('the narrow valley has curvatures 20 and 1 everywhere (condition number 20)', () => {
    const [hi, lo] = curvaturesAt(SURFACES.valley, 0.7, -0.3);
    expect(hi).toBeCloseTo(20, 5);
    expect(lo).toBeCloseTo(1, 5);
  });

  it('Rosenbrock (b = 10) at its minimum (1, 1): the Hessian [[82, −40], [−40, 20]]', () => {
    const [hi, lo] = curvaturesAt(SURFACES.rosenbrock, 1, 1);
    const disc = Math.sqrt(51 * 51 - 40);
    expect(hi).toBeCloseTo(51 + disc, 4);
    expect(lo).toBeCloseTo(51 - disc, 4);
  });
});
