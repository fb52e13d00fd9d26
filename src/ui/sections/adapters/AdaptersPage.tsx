import { makePlaceholder } from '../Placeholder';

export default makePlaceholder('adapters');
