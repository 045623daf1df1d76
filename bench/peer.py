#!/usr/bin/python3
"""Plain PyTorch peer of `idspam benchmark`: the same model, timed on the same batches.

Not part of the product (which has no Python) and not part of `mvn test`; bench/pytorch-peer.sh runs
it. Three commands:

  run     times the PyTorch model on the batches that `idspam benchmark --dump-batches DIR` wrote
          (1 warm-up pass + N timed passes per workload) and writes one JSON file of samples/s
  verify  runs the PyTorch model, loaded with the trained tensors of an exported adapter bundle, on
          inputs that bench/PeerCheck.java tokenised and ran through the project's Java side, and
          compares the backbone's last hidden state and the logits
  report  reads the Java outputs and the JSON files of every round and prints (and writes as
          Markdown) one table of mean samples/s and the ratio project / PyTorch

The model is MiniLM-L6 as the project's graphs build it (graphs/.../backbone/EncoderBuilder.java,
graphs/.../methods/idspam/IdSpamGenerator.java, graphs/.../methods/head/ClassificationHead.java,
docs/METHOD.md): a BERT post-LN encoder with exact (erf) GELU, LayerNorm eps 1e-12 and an additive
key mask of -10000; ID-SPAM at layer m prepends t generated prompt vectors to the input of layer m
(the mask gets t ones); the generator is one-head self-attention over the word embeddings (with
biases), a masked mean, ReLU(down) and ReLU(up) reshaped to [B, t, n], prompt dropout while training;
the head reads position t: dense + tanh + dropout + dense; the loss is mean cross-entropy. The frozen
encoder weights come from the project's own safetensors export (canonical names, matrices [in, out]).
Only the generator and the head train (AdamW, betas 0.9/0.98, eps 1e-6, no weight decay).

Standard library + NumPy + PyTorch only (Debian's python3-torch and python3-numpy).
"""

import argparse
import json
import math
import os
import platform
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# the project's additive mask value for padded keys (EncoderBuilder.MASKED_SCORE)
MASKED_SCORE = -10000.0


# ----------------------------------------------------------------------------------------------
# files

def read_safetensors(path):
    """name -> float32 numpy array; the format: u64 LE header length, JSON header, raw LE data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        dt = np.dtype(dtypes[meta["dtype"]]).newbyteorder("<")
        out[name] = np.frombuffer(data, dtype=dt, count=(end - start) // dt.itemsize,
                                  offset=base + start).reshape(meta["shape"]).astype(np.float32)
    return out


def load_batches(folder):
    """The dumped workloads: [(name, [{input_ids, attention_mask, token_type_ids, labels} as tensors])]."""
    with open(os.path.join(folder, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    if index.get("format") != "idspam-benchmark-batches" or index.get("format_version") != 1:
        raise SystemExit(f"{folder}/index.json is not a batch dump of idspam benchmark (format 1)")
    workloads = []
    for w in index["workloads"]:
        batches = []
        for b in w["batches"]:
            t = {k: torch.from_numpy(np.load(os.path.join(folder, v))) for k, v in b["files"].items()}
            if "token_type_ids" not in t:
                t["token_type_ids"] = torch.zeros_like(t["input_ids"])
            batches.append(t)
        workloads.append((w["name"], batches))
    return index, workloads


# ----------------------------------------------------------------------------------------------
# the model

class Layer(nn.Module):
    """One post-LN BERT layer: Y = LN(X + Attn(X)); X' = LN(Y + GELU(Y·Wi + bi)·Wf + bf)."""

    def __init__(self, n, heads, inner, eps):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(n, n)
        self.k = nn.Linear(n, n)
        self.v = nn.Linear(n, n)
        self.out = nn.Linear(n, n)
        self.attn_ln = nn.LayerNorm(n, eps=eps)
        self.ffn_in = nn.Linear(n, inner)
        self.ffn_out = nn.Linear(inner, n)
        self.ffn_ln = nn.LayerNorm(n, eps=eps)

    def forward(self, x, additive_mask):
        b, t, n = x.shape
        h = self.heads
        dh = n // h
        q = (self.q(x) * (1.0 / math.sqrt(dh))).view(b, t, h, dh).transpose(1, 2)
        k = self.k(x).view(b, t, h, dh).transpose(1, 2)
        v = self.v(x).view(b, t, h, dh).transpose(1, 2)
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) + additive_mask, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, n)
        y = self.attn_ln(self.out(ctx) + x)
        return self.ffn_ln(self.ffn_out(F.gelu(self.ffn_in(y))) + y)


class Encoder(nn.Module):
    """Embeddings (word + type + position, LayerNorm) and the layers; no dropout (as the project's encoder)."""

    def __init__(self, vocab, positions, types, n, layers, heads, inner, eps):
        super().__init__()
        self.word = nn.Embedding(vocab, n)
        self.position = nn.Embedding(positions, n)
        self.token_type = nn.Embedding(types, n)
        self.ln = nn.LayerNorm(n, eps=eps)
        self.layers = nn.ModuleList([Layer(n, heads, inner, eps) for _ in range(layers)])

    def embed(self, ids, types):
        word = self.word(ids)
        x = word + self.token_type(types) + self.position.weight[: ids.shape[1]]
        return word, self.ln(x)

    def forward(self, ids, mask, types):
        """The plain encoder: last hidden state [B, L, n]."""
        _, x = self.embed(ids, types)
        add = additive(mask)
        for layer in self.layers:
            x = layer(x, add)
        return x


def additive(mask):
    """(1 - mask)·(-10000) shaped [B, 1, 1, T]."""
    return (1.0 - mask.to(torch.float32))[:, None, None, :] * MASKED_SCORE


class Generator(nn.Module):
    """ID-SPAM's prompt generator (IdSpamGenerator): S = ReLU(ReLU(mean(Att(E))·W_down)·W_up) as [B, t, n]."""

    def __init__(self, n, t, bottleneck, heads, dropout):
        super().__init__()
        self.t, self.n, self.heads = t, n, heads
        self.q = nn.Linear(n, n)
        self.k = nn.Linear(n, n)
        self.v = nn.Linear(n, n)
        self.down = nn.Linear(n, bottleneck)
        self.up = nn.Linear(bottleneck, t * n)
        self.dropout = nn.Dropout(dropout)

    def forward(self, e, mask_float, additive_mask):
        b, length, n = e.shape
        h = self.heads
        dk = n // h
        q = (self.q(e) * (1.0 / math.sqrt(dk))).view(b, length, h, dk).transpose(1, 2)
        k = self.k(e).view(b, length, h, dk).transpose(1, 2)
        v = self.v(e).view(b, length, h, dk).transpose(1, 2)
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) + additive_mask, dim=-1)
        att = torch.matmul(probs, v).transpose(1, 2).reshape(b, length, n)
        pooled = (att * mask_float.unsqueeze(2)).sum(1) / mask_float.sum(1, keepdim=True)
        s = torch.relu(self.up(torch.relu(self.down(pooled)))).view(b, self.t, n)
        return self.dropout(s)


class Head(nn.Module):
    """dense(n→n) + tanh + dropout + dense(n→C) on one position (ClassificationHead)."""

    def __init__(self, n, classes, dropout):
        super().__init__()
        self.dense = nn.Linear(n, n)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(n, classes)

    def forward(self, x):
        return self.out(self.dropout(torch.tanh(self.dense(x))))


class IdSpamModel(nn.Module):
    """Frozen encoder + generator at layer m + head at position t."""

    def __init__(self, encoder, m, t, bottleneck, generator_heads, classes, prompt_dropout, head_dropout):
        super().__init__()
        n = encoder.word.weight.shape[1]
        self.encoder, self.m, self.t = encoder, m, t
        self.generator = Generator(n, t, bottleneck, generator_heads, prompt_dropout)
        self.head = Head(n, classes, head_dropout)

    def prefix(self, ids, mask, types):
        """X_m: the hidden states entering layer m (a fixed function of the tokens)."""
        _, x = self.encoder.embed(ids, types)
        add = additive(mask)
        for layer in self.encoder.layers[: self.m]:
            x = layer(x, add)
        return x

    def forward(self, ids, mask, types, xm=None):
        """Logits [B, C]; with xm given, layers below m are skipped (the prefix cache's suffix)."""
        if xm is None:
            word, x = self.encoder.embed(ids, types)
            add = additive(mask)
            for layer in self.encoder.layers[: self.m]:
                x = layer(x, add)
        else:
            word, x, add = self.encoder.word(ids), xm, additive(mask)
        mask_float = mask.to(torch.float32)
        s = self.generator(word, mask_float, add)
        x = torch.cat([s, x], dim=1)
        extended = torch.cat([torch.ones(mask.shape[0], self.t, dtype=mask.dtype, device=mask.device), mask], dim=1)
        add = additive(extended)
        for layer in self.encoder.layers[self.m:]:
            x = layer(x, add)
        return self.head(x[:, self.t])


def linear_from(module, w, b):
    """Project's [in, out] matrix and bias into an nn.Linear ([out, in])."""
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
        module.bias.copy_(torch.from_numpy(b))


def build_encoder(weights, heads, eps):
    """The frozen encoder from the canonical tensors (graphs/.../backbone/TensorNames.java)."""
    vocab, n = weights["embeddings.word"].shape
    layers = len({k.split(".")[1] for k in weights if k.startswith("layer.")})
    inner = weights["layer.0.ffn.in.w"].shape[1]
    enc = Encoder(vocab, weights["embeddings.position"].shape[0], weights["embeddings.token_type"].shape[0], n, layers,
                  heads, inner, eps)
    with torch.no_grad():
        enc.word.weight.copy_(torch.from_numpy(weights["embeddings.word"]))
        enc.position.weight.copy_(torch.from_numpy(weights["embeddings.position"]))
        enc.token_type.weight.copy_(torch.from_numpy(weights["embeddings.token_type"]))
        enc.ln.weight.copy_(torch.from_numpy(weights["embeddings.ln.gamma"]))
        enc.ln.bias.copy_(torch.from_numpy(weights["embeddings.ln.beta"]))
        for i, layer in enumerate(enc.layers):
            def w(s):
                return weights[f"layer.{i}.{s}"]
            linear_from(layer.q, w("attn.q.w"), w("attn.q.b"))
            linear_from(layer.k, w("attn.k.w"), w("attn.k.b"))
            linear_from(layer.v, w("attn.v.w"), w("attn.v.b"))
            linear_from(layer.out, w("attn.out.w"), w("attn.out.b"))
            layer.attn_ln.weight.copy_(torch.from_numpy(w("attn_ln.gamma")))
            layer.attn_ln.bias.copy_(torch.from_numpy(w("attn_ln.beta")))
            linear_from(layer.ffn_in, w("ffn.in.w"), w("ffn.in.b"))
            linear_from(layer.ffn_out, w("ffn.out.w"), w("ffn.out.b"))
            layer.ffn_ln.weight.copy_(torch.from_numpy(w("ffn_ln.gamma")))
            layer.ffn_ln.bias.copy_(torch.from_numpy(w("ffn_ln.beta")))
    enc.requires_grad_(False)
    return enc


def init_trainable(model, std, seed):
    """Random generator and head, as the project initialises them: weights N(0, std²), biases 0."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mod in list(model.generator.modules()) + list(model.head.modules()):
            if isinstance(mod, nn.Linear):
                mod.weight.normal_(0.0, std, generator=g)
                mod.bias.zero_()


def load_trained(model, tensors):
    """The trained tensors of an adapter bundle (idspam.*, head.*; [in, out] matrices)."""
    gen, head = model.generator, model.head
    pairs = [(gen.q, "idspam.q"), (gen.k, "idspam.k"), (gen.v, "idspam.v"), (gen.down, "idspam.down"),
             (gen.up, "idspam.up"), (head.dense, "head.dense"), (head.out, "head.out")]
    missing = [f"{p}.{s}" for _, p in pairs for s in ("w", "b") if f"{p}.{s}" not in tensors]
    if missing:
        raise SystemExit("trained tensors missing: " + ", ".join(missing))
    for mod, p in pairs:
        linear_from(mod, tensors[p + ".w"], tensors[p + ".b"])


def make_model(args, weights):
    torch.manual_seed(args.seed)
    enc = build_encoder(weights, args.heads, args.eps)
    model = IdSpamModel(enc, args.layer, args.prompt_tokens, args.bottleneck, args.generator_heads, args.classes,
                        args.prompt_dropout, args.head_dropout)
    init_trainable(model, 0.02, args.seed)
    return model


# ----------------------------------------------------------------------------------------------
# run: timing

def sync():
    """Waits for queued GPU work, so that a timer read afterwards counts it (no-op on the CPU)."""
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()


def time_training(model, opt, batches, xms=None):
    model.train()
    sync()
    t0 = time.perf_counter()
    for i, b in enumerate(batches):
        opt.zero_grad(set_to_none=True)
        logits = model(b["input_ids"], b["attention_mask"], b["token_type_ids"], None if xms is None else xms[i])
        loss = F.cross_entropy(logits, b["labels"])
        loss.backward()
        opt.step()
    sync()
    return time.perf_counter() - t0


def time_inference(fn, batches):
    sync()
    t0 = time.perf_counter()
    with torch.no_grad():
        for b in batches:
            fn(b)
    sync()
    return time.perf_counter() - t0


def cmd_run(args):
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(True)
    index, workloads = load_batches(args.batches)
    weights = read_safetensors(args.weights)
    device = torch.device(args.device)
    if device.type == "cuda":
        # TF32 matrix products, as ONNX Runtime's CUDA provider uses by default
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    model = make_model(args, weights).to(device)
    workloads = [(name, [{k: v.to(device) for k, v in b.items()} for b in batches]) for name, batches in workloads]
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=args.lr, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.0)
    rows = []
    for name, batches in workloads:
        samples = sum(int(b["input_ids"].shape[0]) for b in batches)
        model.eval()
        with torch.no_grad():
            xms = [model.prefix(b["input_ids"], b["attention_mask"], b["token_type_ids"]) for b in batches]
        def backbone(b):
            return model.encoder(b["input_ids"], b["attention_mask"], b["token_type_ids"])

        def whole(b):
            return model(b["input_ids"], b["attention_mask"], b["token_type_ids"])

        def inference(fn):
            model.eval()
            return time_inference(fn, batches)

        # in the Java benchmark's order, alternating within each repetition
        kinds = [
            ("train", lambda: time_training(model, opt, batches)),
            ("train (prefix cache)", lambda: time_training(model, opt, batches, xms)),
            ("inference backbone", lambda: inference(backbone)),
            ("inference idspam", lambda: inference(whole)),
        ]
        seconds = {k: 0.0 for k, _ in kinds}
        for rep in range(-args.warmup, args.repetitions):
            for k, fn in kinds:
                t = fn()
                if rep >= 0:
                    seconds[k] += t
        for k, s in seconds.items():
            per_rep = s / args.repetitions
            rows.append({"workload": name, "what": k, "samples_per_second": samples / per_rep,
                         "ms_per_batch": 1000 * per_rep / len(batches), "batches": len(batches), "samples": samples})
    out = {"rows": rows, "device": str(device), "threads": torch.get_num_threads(), "torch": torch.__version__, "numpy": np.__version__,
           "python": platform.python_version(), "warmup": args.warmup, "repetitions": args.repetitions}
    for r in rows:
        print(f"{r['workload']:<16} {r['what']:<40} {r['samples_per_second']:12.1f} {r['ms_per_batch']:12.1f}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")


# ----------------------------------------------------------------------------------------------
# verify: against the project's Java side

def cmd_verify(args):
    torch.set_num_threads(args.threads)
    d = args.check
    ids = torch.from_numpy(np.load(os.path.join(d, "input_ids.npy")))
    mask = torch.from_numpy(np.load(os.path.join(d, "attention_mask.npy")))
    types = torch.from_numpy(np.load(os.path.join(d, "token_type_ids.npy")))
    hidden_java = np.load(os.path.join(d, "backbone_last_hidden_state.npy"))
    logits_java = np.load(os.path.join(d, "logits.npy"))
    weights = read_safetensors(args.weights)
    model = make_model(args, weights)
    trained = read_safetensors(args.adapter)
    # the small trained tensors stay inside the bundle's model.onnx; PeerCheck.java wrote them out
    for f in os.listdir(d):
        if f.startswith("initializer-") and f.endswith(".npy"):
            trained.setdefault(f[len("initializer-"):-len(".npy")], np.load(os.path.join(d, f)).astype(np.float32))
    load_trained(model, trained)
    model.eval()
    with torch.no_grad():
        hidden = model.encoder(ids, mask, types).numpy()
        logits = model(ids, mask, types).numpy()
    real = mask.numpy().astype(bool)
    dh = np.abs(hidden - hidden_java)[real]
    dl = np.abs(logits - logits_java)
    print(f"{ids.shape[0]} sentences, {int(real.sum())} real tokens, padded to {ids.shape[1]}")
    print(f"backbone last hidden state (real tokens): max |PyTorch - ONNX Runtime| = {dh.max():.3g}"
          f" (mean {dh.mean():.3g}; values up to {np.abs(hidden_java[real]).max():.3g})")
    print(f"ID-SPAM logits (trained adapter bundle):  max |PyTorch - Java Predictor| = {dl.max():.3g}")
    for i in range(logits.shape[0]):
        print(f"  sentence {i}: PyTorch {np.array2string(logits[i], precision=5)}"
              f"  Java {np.array2string(logits_java[i], precision=5)}")
    ok = dh.max() <= args.tolerance and dl.max() <= args.tolerance
    print(("match" if ok else "MISMATCH") + f" within {args.tolerance:g}")
    return 0 if ok else 1


# ----------------------------------------------------------------------------------------------
# report: the table

# (figure, project row, PyTorch row, note)
FIGURES = [
    ("ID-SPAM training", "train idspam", "train",
     "trainStep + optimizerStep vs forward + backward + AdamW step, whole model"),
    ("ID-SPAM training, project with prefix cache", "train idspam (prefix cache)", "train",
     "the project's training figure once X_m is cached (every epoch after the first) vs plain PyTorch"),
    ("ID-SPAM training, both from cached X_m", "train idspam (prefix cache)", "train (prefix cache)",
     "like for like: both sides run layers m..N-1, the generator and the head on precomputed X_m"),
    ("backbone inference", "inference backbone (original ONNX)", "inference backbone",
     "the shipped ONNX model on ONNX Runtime vs the plain 6-layer encoder forward"),
    ("ID-SPAM inference", "inference exported idspam", "inference idspam",
     "the exported graph (plain, as training built it) vs the whole model forward, eval mode"),
    ("ID-SPAM inference, fused export (the default)", "inference exported idspam (fused)", "inference idspam",
     "the exported graph with ONNX Runtime's fused operators (what `idspam export` writes by default) vs the same"),
]


def parse_java(path):
    """Rows of `idspam benchmark`: '%-16s %-40s %12.1f %12.1f' (workload, what, samples/s, ms/batch)."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if len(line) < 18 or line.startswith("workload"):
                continue
            parts = line[16:].rsplit(None, 2)
            if len(parts) != 3:
                continue
            try:
                sps, _ = float(parts[1]), float(parts[2])
            except ValueError:
                continue
            rows[(line[:16].strip(), parts[0].strip())] = sps
    return rows


def spread(xs):
    """' (min–max)' of several rounds' figures; nothing for one round."""
    return "" if len(xs) < 2 else f" ({min(xs):.1f}–{max(xs):.1f})"


def cmd_report(args):
    java = [parse_java(p) for p in args.java]
    peer = []
    for p in args.peer:
        with open(p, encoding="utf-8") as f:
            peer.append({(r["workload"], r["what"]): r["samples_per_second"] for r in json.load(f)["rows"]})
    if not java or len(java) != len(peer):
        raise SystemExit(f"report: {len(java)} Java outputs and {len(peer)} PyTorch outputs; give one of each per round")
    workloads = []
    for rows in java + peer:
        for (w, _) in rows:
            if w not in workloads:
                workloads.append(w)
    table = ["| workload | figure | project samples/s | PyTorch samples/s | project / PyTorch |", "|---|---|---:|---:|---:|"]
    text = [f"{'workload':<15} {'figure':<45} {'project':>9} {'PyTorch':>9} {'ratio':>6}"]
    per_round = ["| workload | figure | round | project samples/s | PyTorch samples/s |", "|---|---|---:|---:|---:|"]
    for w in workloads:
        for fig, jrow, prow, _ in FIGURES:
            js = [r[(w, jrow)] for r in java if (w, jrow) in r]
            ps = [r[(w, prow)] for r in peer if (w, prow) in r]
            if not js or not ps:
                continue
            jm, pm = statistics.mean(js), statistics.mean(ps)
            table.append(f"| {w} | {fig} | {jm:.1f}{spread(js)} | {pm:.1f}{spread(ps)} | {jm / pm:.2f} |")
            text.append(f"{w:<15} {fig:<45} {jm:9.1f} {pm:9.1f} {jm / pm:6.2f}")
            for i, (a, b) in enumerate(zip(js, ps)):
                per_round.append(f"| {w} | {fig} | {i + 1} | {a:.1f} | {b:.1f} |")
    print("\n".join(text))
    if args.out:
        machine = "(not recorded)"
        if args.machine:
            with open(args.machine, encoding="utf-8") as f:
                machine = f.read().strip()
        md = ["# ID-SPAM (Java, ONNX Runtime) vs a plain PyTorch peer", "",
              f"`bench/pytorch-peer.sh`, {len(java)} alternating round(s): in each, `idspam benchmark --methods idspam"
              " --repetitions 1 --warmup 1 --dump-batches DIR`, then `bench/peer.py run` on the batches the Java run dumped (1 warm-up"
              " and 1 timed pass per workload). Figures are mean samples/s over the rounds (min–max in brackets for"
              " more than one round); the ratio is project / PyTorch, above 1 where the project is faster.", "",
              *table, "", "What each figure times:", ""]
        for fig, jrow, prow, note in FIGURES:
            md.append(f"- **{fig}**: project `{jrow}`, PyTorch `{prow}`; {note}.")
        md += ["", "The PyTorch generator and head are randomly initialised with the project's shapes and"
               " initialisation (speed only); the frozen encoder is the project's exported MiniLM weights.", "",
               "## Machine and versions", "", "```", machine, "```", "", "## Per round", "", *per_round, ""]
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\n".join(md))
        print(f"\nwrote {args.out}")


# ----------------------------------------------------------------------------------------------

def model_options(p):
    p.add_argument("--weights", required=True, help="the frozen encoder: safetensors with the project's canonical names")
    p.add_argument("--layer", type=int, default=3, help="injection layer m (3)")
    p.add_argument("--prompt-tokens", type=int, default=10, help="t (10)")
    p.add_argument("--bottleneck", type=int, default=192, help="generator bottleneck c (192 for n >= 384)")
    p.add_argument("--generator-heads", type=int, default=1, help="generator attention heads (1)")
    p.add_argument("--prompt-dropout", type=float, default=0.1, help="(0.1)")
    p.add_argument("--head-dropout", type=float, default=0.1, help="(0.1)")
    p.add_argument("--classes", type=int, default=2, help="head outputs (2, SST-2)")
    p.add_argument("--heads", type=int, default=12, help="encoder attention heads (12, MiniLM-L6)")
    p.add_argument("--eps", type=float, default=1e-12, help="LayerNorm epsilon (1e-12)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (2)")
    p.add_argument("--seed", type=int, default=42)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time the PyTorch model on dumped batches")
    model_options(r)
    r.add_argument("--batches", required=True, help="folder written by idspam benchmark --dump-batches")
    r.add_argument("--warmup", type=int, default=1)
    r.add_argument("--repetitions", type=int, default=1)
    r.add_argument("--lr", type=float, default=1e-5, help="AdamW learning rate (1e-5, as the Java benchmark)")
    r.add_argument("--out", help="JSON file for the rows")
    r.add_argument("--device", default="cpu", help="cpu (default) or cuda: the GPU peer of idspam benchmark --device cuda")
    v = sub.add_parser("verify", help="compare with the Java side (inputs and outputs from bench/PeerCheck.java)")
    model_options(v)
    v.add_argument("--check", required=True, help="folder written by bench/PeerCheck.java")
    v.add_argument("--adapter", required=True, help="adapter.safetensors of the exported adapter bundle")
    v.add_argument("--tolerance", type=float, default=1e-4)
    rp = sub.add_parser("report", help="the table of several rounds")
    rp.add_argument("--java", nargs="+", required=True, help="stdout of idspam benchmark, one per round")
    rp.add_argument("--peer", nargs="+", required=True, help="JSON of peer.py run, one per round")
    rp.add_argument("--machine", help="text file describing the machine and versions")
    rp.add_argument("--out", help="Markdown file to write")
    args = ap.parse_args(argv)
    return {"run": cmd_run, "verify": cmd_verify, "report": cmd_report}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
