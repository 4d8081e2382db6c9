#!/usr/bin/env python3
"""Writes the test fixtures that come from the reference's own libraries:
- packages/core/src/argsort.reference.json: the orders they give arrays full of ties (argsort.test.ts);
- packages/core/src/softmax.reference.json: torch's softmax of logit pairs, bits included (softmax.test.ts).

Run with Debian 12's packages, the versions the reference ran (facenet-pytorch-dev.json's meta):
    apt-get install python3-numpy python3-torch python3-torchvision    # numpy 1.24.2, torch 1.13.1, torchvision 0.14.1
    /usr/bin/python3 scripts/reference-fixtures.py

Each case is a list of small integers k standing for the float32 values 1 - k * 2**-24 (saturated
probabilities, the values that tie in practice), and what each library returns for them:
- numpy: np.argsort(v) (default kind), np.argsort(v, kind='heapsort');
- torch: torch.tensor(v).sort(descending=True) (default: not stable), and torchvision.ops.batched_nms
  on disjoint boxes (every box kept, so its output order is its tie order).
"""
import json
import os

import numpy as np
import torch
import torchvision
from torchvision.ops import batched_nms

assert np.__version__.startswith('1.24'), np.__version__
assert torch.__version__.startswith('1.13'), torch.__version__
assert torchvision.__version__.startswith('0.14'), torchvision.__version__

rs = np.random.RandomState(20241128)
cases = []


def add(keys, name):
    keys = [int(k) for k in keys]
    v = (1 - np.array(keys, dtype=np.float64) * 2.0**-24).astype(np.float32)
    n = len(keys)
    boxes = torch.tensor([[10.0 * i, 0.0, 10.0 * i + 5, 5.0] for i in range(n)], dtype=torch.float32).reshape(-1, 4)
    t = torch.tensor(v)
    cases.append({
        'name': name,
        'keys': keys,
        'numpy': np.argsort(v).tolist(),
        'numpyHeapsort': np.argsort(v, kind='heapsort').tolist(),
        'torchDescending': t.sort(descending=True)[1].tolist(),
        'batchedNms': batched_nms(boxes, t, torch.zeros(n, dtype=torch.int64), 0.5).tolist() if n else [],
    })


for n in list(range(0, 41)) + [47, 64, 100, 255, 600]:
    add(rs.randint(0, 3, n), f'random {n}, 3 values')
for n in [16, 17, 33, 200]:
    add(rs.randint(0, 40, n), f'random {n}, 40 values')
    add([0] * n, f'all equal {n}')
    add(sorted(rs.randint(0, 4, n)), f'ascending keys {n}')
    add(sorted(rs.randint(0, 4, n), reverse=True), f'descending keys {n}')
    add([min(i, n - 1 - i) % 5 for i in range(n)], f'organ pipe {n}')
# Over 1,000 boxes torchvision's batched_nms re-sorts its kept boxes with the unstable sort.
for n in [1001, 1500]:
    add(rs.randint(0, 6, n), f'random {n}, 6 values')

src = os.path.join(os.path.dirname(__file__), '..', 'packages', 'core', 'src')
out = os.path.join(src, 'argsort.reference.json')
with open(out, 'w') as f:
    json.dump({
        'made_by': 'scripts/reference-fixtures.py',
        'numpy': np.__version__,
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'value_of_key': '1 - key * 2**-24 as float32',
        'cases': cases,
    }, f, separators=(',', ':'))
print(f'{len(cases)} cases -> {out}')

# Softmax: nn.Softmax(dim=1) as facenet-pytorch applies it: on P-Net's [1, 2, H, W] map (ATen's
# _vec_softmax, over channels) and on R-Net / O-Net's [N, 2] (_vec_softmax_lastdim). Half the
# pairs saturated (face logit 9..20 above the other), where probabilities fall on a few float32
# values and tie. Values as float32 bit patterns, so that JSON keeps them exactly.
n = 2048
l0 = (rs.randn(n) * 4).astype(np.float32)
d = np.concatenate([rs.uniform(-12, 12, n // 2), rs.uniform(9, 20, n - n // 2)]).astype(np.float32)
l1 = (l0 + d).astype(np.float32)
vec = torch.nn.Softmax(dim=1)(torch.tensor(np.stack([l0, l1], 1)))[:, 1].numpy()
H, W = 32, n // 32
mp = torch.nn.Softmax(dim=1)(torch.tensor(np.stack([l0, l1], 0).reshape(1, 2, H, W)))[0, 1].numpy().reshape(-1)
bits = lambda a: np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).tolist()
out = os.path.join(src, 'softmax.reference.json')
with open(out, 'w') as f:
    json.dump({
        'made_by': 'scripts/reference-fixtures.py',
        'torch': torch.__version__,
        'cpu_capability': torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, 'cpu') else 'AVX2',
        'l0_bits': bits(l0), 'l1_bits': bits(l1),
        'lastdim_bits': bits(vec), 'map_bits': bits(mp),
    }, f, separators=(',', ':'))
print(f'{n} logit pairs -> {out}')
