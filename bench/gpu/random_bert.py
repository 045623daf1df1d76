#!/usr/bin/env python3
"""Writes a BERT-shaped Hugging Face folder (config.json, model.safetensors, tokenizer.json) with
random weights, for speed measurements on machines that cannot receive the real weights (a GPU
host whose transfer limit is below the model's size). Throughput does not depend on the weights'
values, so figures measured on it are the real model's; accuracy figures are not. Standard library
only (no numpy), so it runs wherever a python3 does.

usage: random_bert.py OUT_DIR LAYERS HIDDEN HEADS INTERMEDIATE TOKENIZER_JSON
"""
import array, json, os, random, shutil, struct, sys

out, layers, hidden, heads, inter, tok = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
vocab, positions, types = 30522, 512, 2
os.makedirs(out, exist_ok=True)
rng = random.Random(1)
# One pool of N(0, 0.02) values; each tensor is a slice of it at a random offset (weights need not be
# independent for timing, and drawing 110M Gaussians one by one would take minutes).
POOL = 1 << 21
pool = array.array('f', (rng.gauss(0.0, 0.02) for _ in range(2 * POOL)))

def normal(n):
    a = array.array('f')
    while len(a) < n:
        k = min(POOL, n - len(a))
        o = rng.randrange(POOL)
        a.extend(pool[o:o + k])
    return a

def const(n, v):
    return array.array('f', [v]) * n

tensors = []  # (name, shape, array)
def add(name, shape, data):
    tensors.append((name, shape, data))

add("embeddings.word_embeddings.weight", [vocab, hidden], normal(vocab * hidden))
add("embeddings.position_embeddings.weight", [positions, hidden], normal(positions * hidden))
add("embeddings.token_type_embeddings.weight", [types, hidden], normal(types * hidden))
add("embeddings.LayerNorm.weight", [hidden], const(hidden, 1.0))
add("embeddings.LayerNorm.bias", [hidden], const(hidden, 0.0))
for i in range(layers):
    p = f"encoder.layer.{i}."
    for part in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
        add(p + part + ".weight", [hidden, hidden], normal(hidden * hidden))   # nn.Linear: [out, in]
        add(p + part + ".bias", [hidden], const(hidden, 0.0))
    add(p + "attention.output.LayerNorm.weight", [hidden], const(hidden, 1.0))
    add(p + "attention.output.LayerNorm.bias", [hidden], const(hidden, 0.0))
    add(p + "intermediate.dense.weight", [inter, hidden], normal(inter * hidden))
    add(p + "intermediate.dense.bias", [inter], const(inter, 0.0))
    add(p + "output.dense.weight", [hidden, inter], normal(hidden * inter))
    add(p + "output.dense.bias", [hidden], const(hidden, 0.0))
    add(p + "output.LayerNorm.weight", [hidden], const(hidden, 1.0))
    add(p + "output.LayerNorm.bias", [hidden], const(hidden, 0.0))

# safetensors: u64 little-endian header length, JSON header with byte offsets, then the raw data.
header, offset = {}, 0
for name, shape, data in tensors:
    n = len(data) * 4
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + n]}
    offset += n
h = json.dumps(header).encode()
h += b" " * (-len(h) % 8)
with open(os.path.join(out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for _, _, data in tensors:
        data.tofile(f)
config = {"model_type": "bert", "architectures": ["BertModel"], "hidden_size": hidden,
          "num_hidden_layers": layers, "num_attention_heads": heads, "intermediate_size": inter,
          "hidden_act": "gelu", "max_position_embeddings": positions, "vocab_size": vocab,
          "type_vocab_size": types, "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.0,
          "attention_probs_dropout_prob": 0.0}
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(config, f, indent=1)
shutil.copyfile(tok, os.path.join(out, "tokenizer.json"))
print(out, sum(len(d) for _, _, d in tensors), "parameters")
