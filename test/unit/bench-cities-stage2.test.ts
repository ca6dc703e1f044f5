// The ml-cities harness's stage-2 recipes ask train.start for what their labels say.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STAGE2_RECIPES, stage2Settings, trainParamsFor } from '../../bench/cities-stage2';
import { mlMethods, STAGE2_DEFAULTS } from '../../src/shared/contract/ml-methods';

void describe('ml-cities stage-2 recipes', () => {
  void it('trains stage 1 alone, stage 2 at Conv_1, and stage 2 at the app default cut', () => {
    const params = STAGE2_RECIPES.map((r) => trainParamsFor(r, 2, 4));
    assert.deepEqual(
      params.map((p) => [p.views, p.stage2, p.splitLayer ?? 'app default']),
      [
        [2, null, 'app default'],
        [2, { epochs: 4 }, 'Conv_1'],
        [2, { epochs: 4 }, 'app default'],
      ],
    );
    // The contract accepts them and fills in the app's defaults for the rest.
    for (const p of params) {
      const parsed = mlMethods['train.start'].params.parse(p);
      assert.deepEqual(parsed.stage1, {});
      assert.equal(parsed.splitLayer, p.splitLayer ?? null);
    }
  });

  void it('reads LP_BENCH_CITY_STAGE2 and LP_BENCH_CITY_STAGE2_EPOCHS', () => {
    assert.deepEqual(stage2Settings({}), { enabled: true, epochs: STAGE2_DEFAULTS.epochs });
    assert.equal(stage2Settings({ LP_BENCH_CITY_STAGE2: '0' }).enabled, false);
    assert.equal(stage2Settings({ LP_BENCH_CITY_STAGE2_EPOCHS: '3' }).epochs, 3);
    assert.throws(() => stage2Settings({ LP_BENCH_CITY_STAGE2_EPOCHS: 'x' }), /positive whole/);
  });
});
