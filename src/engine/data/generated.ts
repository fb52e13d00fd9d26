/**
 * Fine-tuning tasks generated from a seed: structured strings whose style is nothing like
 * dictionary words, so a LoRA adapter visibly changes what the model writes.
 */
import { mulberry32, randomInt, shuffled } from '../rng';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * `count` distinct, valid ISO dates "YYYY-MM-DD" (leap years respected), years in
 * [fromYear, toYear], drawn uniformly over days.
 */
export function generateDates(count: number, seed: number, fromYear = 1900, toYear = 2099): string[] {
  const days: string[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= daysIn(y, m); d++) days.push(`${y}-${pad2(m)}-${pad2(d)}`);
    }
  }
  if (count > days.length) throw new RangeError(`Only ${days.length} dates exist between ${fromYear} and ${toYear}.`);
  return shuffled(days, mulberry32(seed)).slice(0, count);
}

/**
 * `count` distinct sums "a+b=c" with a, b whole numbers in [0, maxOperand]: every character of
 * the answer follows from the question, so the model can be checked on whether it really adds.
 */
export function generateArithmetic(count: number, seed: number, maxOperand = 99): string[] {
  const total = (maxOperand + 1) ** 2;
  if (count > total) throw new RangeError(`Only ${total} distinct sums have operands up to ${maxOperand}.`);
  const random = mulberry32(seed);
  const seen = new Set<number>();
  const sums: string[] = [];
  while (sums.length < count) {
    const a = randomInt(random, maxOperand + 1);
    const b = randomInt(random, maxOperand + 1);
    const key = a * (maxOperand + 1) + b;
    if (seen.has(key)) continue;
    seen.add(key);
    sums.push(`${a}+${b}=${a + b}`);
  }
  return sums;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}
