import { makePlaceholder } from '../Placeholder';

export default makePlaceholder('learn/rank');
