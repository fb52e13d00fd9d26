import { makePlaceholder } from '../Placeholder';

export default makePlaceholder('train/classifier');
