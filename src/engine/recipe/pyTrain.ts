/**
 * The second half of train_lora.py: loading the base, PEFT, Accelerate (one GPU, several, DeepSpeed)
 * and the training loop.
 * Python source, kept verbatim (String.raw): edit it as Python.
 */
export const TRAIN_LORA_PY_TRAIN = String.raw`# ---- Training (torch from here on) ----
BASE_DROPOUT_KEYS = ("resid_pdrop", "embd_pdrop", "attn_pdrop", "summary_first_dropout", "attention_dropout")


def load_base():
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoConfig, AutoModelForCausalLM

    base = SETTINGS["base"]
    if base["kind"] == "hub":
        where, extra = base["repo_id"], {"revision": base["revision"]}
        tokenizer = Tokenizer.from_pretrained(base["repo_id"], revision=base["revision"])
    else:
        where, extra = os.path.join(HERE, base["path"]), {}
        tokenizer = Tokenizer.from_file(os.path.join(where, "tokenizer.json"))
    config = AutoConfig.from_pretrained(where, **extra)
    # The app's forward pass has no dropout in the base model, only LoRA's on the adapter input.
    for key in BASE_DROPOUT_KEYS:
        if hasattr(config, key):
            setattr(config, key, 0.0)
    model = AutoModelForCausalLM.from_pretrained(where, config=config, dtype=torch.float32, **extra)
    context = getattr(config, "n_positions", None) or getattr(config, "max_position_embeddings")
    return model, tokenizer, context


def encode(tokenizer, docs):
    return [e.ids for e in tokenizer.encode_batch(docs, add_special_tokens=False)]


def lora_layers(peft_model):
    from peft.tuners.lora import LoraLayer

    return {n: m for n, m in peft_model.base_model.model.named_modules() if isinstance(m, LoraLayer)}


def init_like_app(layers, lora, seed):
    """Overwrite PEFT's random A (and B) with the very numbers the app started from."""
    import torch

    rng = AppRng(seed)
    for name in SETTINGS["lora_modules"]:
        layer = layers[name]
        a, b = layer.lora_A["default"].weight, layer.lora_B["default"].weight  # [r, d_in], [d_out, r]
        r, d_in = a.shape
        d_out = b.shape[0]
        fa, fb = app_init_factors(lora["init_lora_weights"], d_in, d_out, r, rng)
        with torch.no_grad():
            a.copy_(torch.tensor(fa, dtype=torch.float32).view(r, d_in))
            b.copy_(torch.tensor(fb, dtype=torch.float32).view(d_out, r))


def scored_loss(model, b, rows, device, batch, seq):
    """Σ mask·CE over the rows this process holds (nats), and Σ mask: the app's masked mean, split."""
    import torch
    import torch.nn.functional as F

    take = lambda key, dtype: torch.tensor(b[key], dtype=dtype).view(batch, seq)[rows].to(device)
    inp, tgt, mask = take("input", torch.long), take("target", torch.long), take("mask", torch.float32)
    logits = model(input_ids=inp).logits.float()  # [rows, seq, vocab]
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), reduction="none")
    return (nll * mask.reshape(-1)).sum(), mask.sum()


def evaluate(accelerator, model, batches, batch, seq):
    """Mean validation loss over the app's fixed batches, each split across processes."""
    import torch

    model.eval()
    rank, world = accelerator.process_index, accelerator.num_processes
    totals = torch.zeros(2, dtype=torch.float64, device=accelerator.device)
    with torch.no_grad():
        for b in batches:
            rows = slice(rank * batch // world, (rank + 1) * batch // world)
            s, n = scored_loss(model, b, rows, accelerator.device, batch, seq)
            totals += torch.stack([s.double(), n.double()])
    model.train()
    totals = accelerator.reduce(totals, reduction="sum")
    return (totals[0] / totals[1]).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output_dir", default=os.path.join(HERE, SETTINGS["output_dir"]))
    parser.add_argument(
        "--init",
        choices=["app", "peft"],
        default="app",
        help="app: start from the browser run's exact initial adapter (default); peft: PEFT's own random init",
    )
    parser.add_argument("--log_every", type=int, default=10)
    args = parser.parse_args()

    import peft
    import torch
    import transformers
    from accelerate import Accelerator
    from accelerate.utils import DistributedType, set_seed
    from peft import LoraConfig, get_peft_model

    t, data, lora = SETTINGS["training"], SETTINGS["data"], SETTINGS["lora"]
    # One global batch per step, split across processes: the scheduler steps once per step.
    accelerator = Accelerator(step_scheduler_with_optimizer=False)
    world, rank = accelerator.num_processes, accelerator.process_index
    if t["batch"] % world:
        sys.exit(f"the batch ({t['batch']} rows) must split evenly over {world} processes: choose a divisor")
    set_seed(t["seed"])
    model, tokenizer, context = load_base()
    seq, batch = min(t["seq"], context), t["batch"]
    eot = tokenizer.token_to_id(data["end_of_text_token"])
    if eot != data["end_of_text_id"]:
        sys.exit(f"{data['end_of_text_token']} is id {eot} here, {data['end_of_text_id']} in the app: another tokenizer?")
    train_docs = read_documents(os.path.join(HERE, data["train_file"]))
    val_docs = read_documents(os.path.join(HERE, data["validation_file"]))
    train_ids, train_starts = build_token_stream(encode(tokenizer, train_docs), eot)
    val_ids, val_starts = build_token_stream(encode(tokenizer, val_docs), eot)
    align = data["align_to_documents"]
    val = validation_batches(val_ids, val_starts, eot, batch, seq, align, data["eval_batches"])

    config = LoraConfig(**{k: lora[k] for k in ("r", "lora_alpha", "lora_dropout", "target_modules")},
                        use_rslora=lora["use_rslora"], init_lora_weights=lora["init_lora_weights"],
                        fan_in_fan_out=lora["fan_in_fan_out"], bias=lora["bias"], task_type=lora["task_type"])
    model = get_peft_model(model, config)
    layers = lora_layers(model)
    if set(layers) != set(SETTINGS["lora_modules"]):
        sys.exit(f"PEFT adapts {sorted(layers)}, the app adapted {SETTINGS['lora_modules']}")
    if args.init == "app" and lora["init_lora_weights"] != "pissa":
        init_like_app(layers, lora, t["seed"])
    # PiSSA: the initial adapter, kept beside (not inside) the adapter folder, to convert it on saving.
    pissa_init = os.path.join(HERE, f"pissa_init-{SETTINGS['run_name']}")
    if lora["init_lora_weights"] == "pissa":
        model.save_pretrained(pissa_init, is_main_process=accelerator.is_main_process)
    if accelerator.is_main_process:
        model.print_trainable_parameters()

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=t["learning_rate"], betas=(t["adam_beta1"], t["adam_beta2"]),
                                  eps=t["adam_epsilon"], weight_decay=t["weight_decay"])
    # The app's schedule: warm-up starts at lr/warmup on step 0. (get_cosine_schedule_with_warmup
    # would start at 0 and stay one step behind through the warm-up.)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: learning_rate_at(k, t) / t["learning_rate"])
    deepspeed = accelerator.distributed_type == DistributedType.DEEPSPEED
    if deepspeed:  # no DataLoader: tell DeepSpeed each process's share of the batch
        accelerator.state.deepspeed_plugin.deepspeed_config["train_micro_batch_size_per_gpu"] = batch // world
    model, optimizer, schedule = accelerator.prepare(model, optimizer, schedule)
    unwrapped = accelerator.unwrap_model(model)

    before = evaluate(accelerator, unwrapped, val, batch, seq)
    accelerator.print(f"validation loss before training: {before:.4f} nats/token")
    rows = slice(rank * batch // world, (rank + 1) * batch // world)
    log = []
    for step in range(t["steps"]):
        b = train_batch(train_ids, train_starts, eot, batch, seq, t["seed"], align, step)
        scored = sum(b["mask"])  # Σ mask over the whole batch: the app's denominator
        s, _ = scored_loss(model, b, rows, accelerator.device, batch, seq)
        # Gradients are averaged over processes, so scale by world / Σ mask: the global masked mean.
        accelerator.backward(s * (world / scored))
        loss = accelerator.reduce(s.detach(), reduction="sum").item() / scored
        if not math.isfinite(loss):
            accelerator.print(f"the loss became {loss} at step {step + 1}: stopping. Try a lower learning rate.")
            break
        norm = None
        if t["max_grad_norm"] > 0 and not deepspeed:  # DeepSpeed clips with the config's gradient_clipping
            norm = accelerator.clip_grad_norm_(params, t["max_grad_norm"]).item()
            if not math.isfinite(norm):
                accelerator.print(f"the gradient norm became {norm} at step {step + 1}: stopping.")
                break
        lr = optimizer.param_groups[0]["lr"]
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        log.append({"step": step + 1, "loss": loss, "lr": lr, "grad_norm": norm})
        if (step + 1) % args.log_every == 0 or step == 0:
            accelerator.print(f"step {step + 1}/{t['steps']}  loss {loss:.4f}  lr {lr:.3g}")

    after = evaluate(accelerator, unwrapped, val, batch, seq)
    accelerator.print(f"validation loss after {len(log)} steps: {after:.4f} nats/token")
    browser = SETTINGS["browser"]
    if browser:
        accelerator.print(f"the browser run: {browser['validation_loss']:.4f} nats/token after {browser['steps']} steps")
    accelerator.wait_for_everyone()
    extra = {"path_initial_model_for_weight_conversion": pissa_init} if lora["init_lora_weights"] == "pissa" else {}
    unwrapped.save_pretrained(args.output_dir, is_main_process=accelerator.is_main_process, **extra)
    if accelerator.is_main_process:
        versions = {m.__name__: m.__version__ for m in (torch, transformers, peft)}
        with open(os.path.join(HERE, f"training_log-{SETTINGS['run_name']}.json"), "w", encoding="utf-8") as f:
            json.dump({"validation_before": before, "validation_after": after, "processes": world,
                       "init": args.init, "versions": versions, "steps": log}, f, indent=1)
        accelerator.print(f"adapter written to {args.output_dir}: import it on the app's Adapters page")


if __name__ == "__main__":
    main()
`;
