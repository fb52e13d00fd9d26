/**
 * The first half of train_lora.py: header, the embedded settings and the app's data pipeline, random
 * numbers and schedule in plain Python (no torch), so tests can run them against the TypeScript.
 * Python source, kept verbatim (String.raw): edit it as Python.
 */
export const TRAIN_LORA_PY_DATA = String.raw`#!/usr/bin/env python3
"""The browser run as transformers + peft + accelerate (written by lowrank; see README.md).

    accelerate launch train_lora.py

Trains the same LoRA adapter on the same documents, joined, batched and scored the way the app
does it (the same windows at every step, the same validation tokens), with the same LoraConfig,
AdamW, warm-up + cosine schedule and clipping. Writes a PEFT adapter folder the app imports and
prints the validation loss in nats/token as the app computes it.
"""
import argparse
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The run as the app trained it: edit here to change it. Everything below reads only this.
SETTINGS = json.loads(r"""__SETTINGS_JSON__""")

# ---- The app's data pipeline, random numbers and schedule, bit for bit (plain Python, no torch) ----
M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def mulberry32(seed):
    """Uniform floats in [0, 1) from a 32-bit seed: src/engine/rng.ts mulberry32."""
    state = seed & M32

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & M32
        t = imul(state ^ (state >> 15), state | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return next_float


def mix_seed(*parts):
    """src/engine/data/rng.ts mixSeed: (seed, step) → the seed of that step's batch."""
    h = 0x811C9DC5
    for part in parts:
        h = imul(h ^ (part & M32), 0x01000193)
        h ^= h >> 13
        h = imul(h, 0x5BD1E995)
        h ^= h >> 15
    return h


class AppRng:
    """src/engine/rng.ts Rng: the generator the app draws a new adapter's initial factors from."""

    def __init__(self, seed):
        z = ((int(math.floor(seed)) & M32) + 0x9E3779B9) & M32
        z = imul(z ^ (z >> 16), 0x85EBCA6B)
        z = imul(z ^ (z >> 13), 0xC2B2AE35)
        self.state = (z ^ (z >> 16)) & M32
        self.spare = None

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = imul(self.state ^ (self.state >> 15), self.state | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    def uniform_array(self, n, bound):
        return [-bound + (bound - (-bound)) * self.next() for _ in range(n)]

    def normal_array(self, n, std):
        out = []
        for _ in range(n):
            if self.spare is not None:
                z, self.spare = self.spare, None
                out.append(std * z)
                continue
            u = 0.0
            while u == 0.0:
                u = self.next()
            v = self.next()
            r = math.sqrt(-2 * math.log(u))
            self.spare = r * math.sin(2 * math.pi * v)
            out.append(std * r * math.cos(2 * math.pi * v))
        return out


def kaiming_uniform_bound(fan_in, a=math.sqrt(5)):
    """PyTorch's kaiming_uniform_ bound; with PEFT's a = √5 it is 1/√fan_in."""
    gain = math.sqrt(2 / (1 + a * a))
    return math.sqrt(3) * gain / math.sqrt(fan_in)


def app_init_factors(init, d_in, d_out, r, rng):
    """src/engine/lora/init.ts: A [r, d_in] and B [d_out, r] (row-major lists), or None for PiSSA."""
    if init == "pissa":
        return None
    if init == "gaussian":
        return rng.normal_array(r * d_in, 1 / r), [0.0] * (d_out * r)
    a = rng.uniform_array(r * d_in, kaiming_uniform_bound(d_in))
    if init is True:
        return a, [0.0] * (d_out * r)
    return a, rng.uniform_array(d_out * r, kaiming_uniform_bound(r))


def read_documents(path):
    """One document per line, empty lines dropped, "\\r\\n" tolerated (src/engine/data/tasks.ts)."""
    with open(path, encoding="utf-8", newline="") as f:
        return [line for line in re.split(r"\r?\n", f.read()) if line]


def build_token_stream(encoded, eot):
    """[EOT d1 EOT d2 … EOT dn EOT] and where each document's opening EOT sits (data/batcher.ts)."""
    ids, starts = [], []
    for doc in encoded:
        starts.append(len(ids))
        ids.append(eot)
        ids.extend(doc)
    ids.append(eot)
    return ids, starts


def empty_batch(batch, seq, pad):
    n = batch * seq
    return {"input": [pad] * n, "target": [pad] * n, "mask": [0.0] * n}


def fill_row(out, row, ids, start, seq, already_scored):
    for t in range(seq):
        at = start + t
        if at + 1 >= len(ids):
            break
        out["input"][row * seq + t] = ids[at]
        out["target"][row * seq + t] = ids[at + 1]
        out["mask"][row * seq + t] = 1.0 if at + 1 > already_scored else 0.0


def train_batch(ids, starts, eot, batch, seq, seed, align, step):
    """TrainBatcher.batchAt(step): the batch of windows drawn from (seed, step) alone."""
    last_start = max(0, len(ids) - seq - 1)
    candidates = None
    if align:
        candidates = [p for p in starts if p <= last_start] or [0]
    random = mulberry32(mix_seed(seed, step))
    out = empty_batch(batch, seq, eot)
    for row in range(batch):
        if candidates is not None:
            start = candidates[math.floor(random() * len(candidates))]
        else:
            start = math.floor(random() * (last_start + 1))
        fill_row(out, row, ids, start, seq, 0)
    return out


def validation_batches(ids, starts, eot, batch, seq, align, max_batches):
    """validationBatches: every target token scored once, windows at document starts when aligned."""
    last = len(ids) - 1
    windows, covered, start, s = [], 0, 0, 0
    while covered < last and len(windows) < max_batches * batch:
        windows.append((start, covered))
        covered = min(start + seq, last)
        nxt = covered
        if align:
            while s + 1 < len(starts) and starts[s + 1] <= covered:
                s += 1
            if starts[s] > start:
                nxt = starts[s]
        start = nxt
    out = []
    for i in range(0, len(windows), batch):
        b = empty_batch(batch, seq, eot)
        for row, (w_start, scored) in enumerate(windows[i : i + batch]):
            fill_row(b, row, ids, w_start, seq, scored)
        out.append(b)
    return out


def learning_rate_at(step, t):
    """train/schedule.ts: linear warm-up from lr/warmup to lr, then cosine to the floor."""
    lr, warm, floor = t["learning_rate"], t["warmup_steps"], t["min_learning_rate"]
    if step < warm:
        return lr * (step + 1) / warm
    span = max(1, t["steps"] - warm)
    progress = min(1.0, (step - warm) / span)
    return floor + 0.5 * (lr - floor) * (1 + math.cos(math.pi * progress))


`;
