// The Explain view's link parameters: other views open a photo here with
// navigate('explain', { image: '42', model: 'abc' }); `tab=features` opens the feature map,
// `tab=cities` the class-maximising city images.
import { hashParam } from '../../ui/nav';

export type ExplainTab = 'heatmap' | 'features' | 'cities';

export type ExplainParams = { image: number | null; model: string | null; tab: ExplainTab | null };

/** A positive whole image id, or null for anything else. */
export function imageIdParam(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function readExplainParams(): ExplainParams {
  const tab = hashParam('tab');
  return {
    image: imageIdParam(hashParam('image')),
    model: hashParam('model'),
    tab: tab === 'features' || tab === 'heatmap' || tab === 'cities' ? tab : null,
  };
}
