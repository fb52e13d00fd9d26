/** The trainer under its first name (it trains any family's CausalLm). */
export { LmTrainer as Gpt2Trainer, type LmTrainerOptions as Gpt2TrainerOptions, type TrainMode } from './lmTrainer';
