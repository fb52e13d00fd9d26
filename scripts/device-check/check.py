#!/usr/bin/env python3
"""The Python half of the device check: do transformers and PEFT read lowrank's files as lowrank does?

    python3 scripts/device-check/check.py <bundle dir> [<out dir>]

For each family in <bundle>/manifest.json: load the exported base with transformers
(AutoModelForCausalLM), each exported adapter with peft.PeftModel.from_pretrained, compute
next-token log-probabilities on the manifest's fixed ids, and compare them with the engine's
(expected.safetensors, written by `npm run device-check:prepare`): max |difference| < tolerance
(1e-4). Then merge_and_unload() and compare again, and load the engine's own merged export.
Each adapter's own effect (max |engine adapter − engine base|) is printed beside it and must be at
least 100 × the tolerance, so an adapter that PEFT silently ignored cannot pass.
Runs on cpu and, when there is one, on the GPU (TF32 off: float32 products). Prints a table and
writes <out>/python-check.json. Without torch, transformers, peft or safetensors it says which
are missing and exits 0 with status "skipped".
"""
import importlib
import json
import os
import platform
import sys
import time

NEEDED = ["torch", "transformers", "peft", "safetensors"]
# Everything is local: a machine without network must not spend the step's time limit on hub look-ups.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def missing_modules():
    out = []
    for name in NEEDED:
        try:
            importlib.import_module(name)
        except Exception as e:  # ImportError, or a broken install
            out.append(f"{name} ({type(e).__name__}: {e})")
    return out


def write(out_dir, result):
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "python-check.json"), "w") as f:
            json.dump(result, f, indent=2)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    bundle = argv[1]
    out_dir = argv[2] if len(argv) > 2 else os.environ.get("OUT")
    gone = missing_modules()
    if gone:
        msg = "Python part skipped: missing " + ", ".join(gone)
        print(msg)
        write(out_dir, {"status": "skipped", "reason": msg, "python": sys.version})
        return 0

    import numpy as np
    import torch
    import transformers
    import peft
    from peft import PeftModel
    from safetensors.numpy import load_file
    from transformers import AutoModelForCausalLM

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    tol = float(manifest.get("tolerance", 1e-4))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])

    def load(path, device):
        try:
            m = AutoModelForCausalLM.from_pretrained(path, attn_implementation="eager")
        except (TypeError, ValueError):
            m = AutoModelForCausalLM.from_pretrained(path)
        return m.float().to(device).eval()

    @torch.no_grad()
    def logprobs(model, ids):
        logits = model(input_ids=ids).logits.float()
        return torch.log_softmax(logits, dim=-1).cpu().numpy()

    def compare(lp, expected, key, ids_np):
        """max |Δ| over the full distributions when stored, and over the next-token log-probs."""
        b, t = ids_np.shape
        nxt = np.take_along_axis(lp[:, :-1, :], ids_np[:, 1:, None], axis=2)[..., 0]
        d = float(np.max(np.abs(nxt - expected[key + ".next"])))
        if key + ".full" in expected:
            d = max(d, float(np.max(np.abs(lp - expected[key + ".full"]))))
        return d

    rows = []
    t0 = time.time()
    for fam in manifest["families"]:
        root = os.path.join(bundle, "families", fam["id"])
        expected = load_file(os.path.join(root, fam["expected"]))
        ids_np = np.array(fam["ids"], dtype=np.int64)
        for device in devices:
            ids = torch.tensor(ids_np, device=device)

            def row(variant, what, d, note="", effect=None):
                rows.append(
                    {
                        "family": fam["id"],
                        "device": device,
                        "variant": variant,
                        "what": what,
                        "max_abs_diff": d,
                        "adapter_effect": effect,
                        "ok": bool(d < tol and (effect is None or effect >= 100 * tol)),
                        "note": note,
                    }
                )

            base = load(os.path.join(root, fam["base"]), device)
            cls = type(base).__name__
            note = "" if cls == fam["hf_class"] else f"loaded as {cls}, expected {fam['hf_class']}"
            row("base", "transformers base", compare(logprobs(base, ids), expected, "base", ids_np), note)
            del base
            for a in fam["adapters"]:
                name = a["name"]
                model = PeftModel.from_pretrained(load(os.path.join(root, fam["base"]), device), os.path.join(root, a["dir"]))
                model.eval()
                key = f"adapter.{name}"
                # How far the adapter moves the engine's log-probs from the base's: the check's power.
                effect = float(np.max(np.abs(expected[key + ".next"] - expected["base.next"])))
                weak = "" if effect >= 100 * tol else "adapter effect under 100 x tolerance: the check proves nothing"
                row(key, "PeftModel.from_pretrained", compare(logprobs(model, ids), expected, key, ids_np), weak, effect)
                merged = model.merge_and_unload()
                row(key, "merge_and_unload()", compare(logprobs(merged, ids), expected, key, ids_np), weak, effect)
                del model, merged
                engine_merged = load(os.path.join(root, a["merged"]), device)
                mkey = f"merged.{name}"
                row(mkey, "engine's merged export", compare(logprobs(engine_merged, ids), expected, mkey, ids_np))
                del engine_merged

    width = max(len(r["family"]) for r in rows)
    print(f"\nlog-probabilities: transformers {transformers.__version__} + peft {peft.__version__} vs the engine (tolerance {tol})")
    print(
        f"{'family'.ljust(width)}  device  {'variant'.ljust(20)} {'loaded by'.ljust(26)} max |Δ log p|  "
        "adapter effect  result"
    )
    for r in rows:
        flag = "ok" if r["ok"] else "FAIL"
        effect = "" if r["adapter_effect"] is None else f"{r['adapter_effect']:.2e}"
        print(
            f"{r['family'].ljust(width)}  {r['device'].ljust(6)}  {r['variant'].ljust(20)} {r['what'].ljust(26)} "
            f"{r['max_abs_diff']:.2e}       {effect.ljust(14)}  {flag} {r['note']}"
        )
    ok = all(r["ok"] for r in rows)
    result = {
        "status": "passed" if ok else "failed",
        "tolerance": tol,
        "rows": rows,
        "seconds": round(time.time() - t0, 1),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "peft": peft.__version__,
            "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        },
    }
    write(out_dir, result)
    print(f"\n{'PASSED' if ok else 'FAILED'}: {sum(r['ok'] for r in rows)}/{len(rows)} comparisons within {tol}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
