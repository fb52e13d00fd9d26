import { makePlaceholder } from '../Placeholder';

export default makePlaceholder('learn/params');
