/** PEFT adapter files and Hugging Face model files: the format layer of export and import. */
export { exportAdapter, PEFT_KEY_PREFIX, type AdapterFiles } from './exportAdapter';
export { importAdapter, importAdapterZip, type AdapterImportBase, type ImportedAdapter } from './importAdapter';
export { exportHfModelFiles, type HfModelFiles } from './hfModel';
export { PEFT_CONFIG_KEYS, buildAdapterConfig, readAdapterConfig } from './adapterConfig';
export { adapterParamCount, modelCard, type ModelCardInfo } from './modelCard';
